package io.hallmark.core.vault;

import io.hallmark.core.error.HallmarkException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An RFC 7512 {@code pkcs11:} URI naming one key on a token: {@code pkcs11:token=Hallmark;object=root-1a2b3c4d;id=%72%6f...}.
 * Values are percent-encoded bytes (token and object labels UTF-8, the id raw). Only what a key reference needs is
 * accepted; anything else is refused by name, because a reference is stored with a CA and read back later:
 * {@code pin-value} would put a PIN in the database, {@code module-path}/{@code module-name} would let a stored
 * reference choose which native library the server loads (the library is the installation's setting, not the key's).
 *
 * @param token  the token label (CKA_LABEL of the token, as softhsm2-util --init-token --label sets it)
 * @param object the key's alias on the token (null when only the id is given)
 * @param id     the key's CKA_ID bytes (null when only the label is given)
 */
public record Pkcs11Uri(String token, String object, byte[] id) {

    public static final String SCHEME = "pkcs11";
    private static final Set<String> IGNORED = Set.of("manufacturer", "model", "serial", "library-manufacturer",
            "library-description", "library-version", "slot-description", "slot-manufacturer", "slot-id");
    private static final Set<String> UNSAFE = Set.of("pin-value", "pin-source", "module-path", "module-name");

    public Pkcs11Uri {
        if (object == null && id == null) {
            throw HallmarkException.badInput("a PKCS#11 key URI needs an 'object' (label) or an 'id' attribute");
        }
        id = id == null ? null : id.clone();
    }

    @Override
    public byte[] id() {
        return id == null ? null : id.clone();
    }

    /** The alias SunPKCS11's KeyStore knows the key by: the object label, else the id read as text (it sets CKA_ID to the alias). */
    public String alias() {
        return object != null ? object : new String(id, StandardCharsets.UTF_8);
    }

    public static Pkcs11Uri parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME + ":")) {
            throw HallmarkException.badInput("not a PKCS#11 URI (RFC 7512, 'pkcs11:token=...;object=...'): '" + uri + "'");
        }
        String rest = uri.substring(SCHEME.length() + 1);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? "" : rest.substring(q + 1);
        Map<String, byte[]> attrs = new LinkedHashMap<>();
        collect(uri, path, ";", false, attrs);
        collect(uri, query, "&", true, attrs);
        String token = null;
        String object = null;
        byte[] id = null;
        for (Map.Entry<String, byte[]> a : attrs.entrySet()) {
            String v = new String(a.getValue(), StandardCharsets.UTF_8);
            switch (a.getKey()) {
                case "token" -> token = v;
                case "object" -> object = v;
                case "id" -> id = a.getValue();
                case "type" -> {
                    if (!v.equals("private")) {
                        throw HallmarkException.badInput("PKCS#11 URI " + uri + ": type=" + v + " is not a private key (type=private)");
                    }
                }
                default -> {
                    if (UNSAFE.contains(a.getKey())) {
                        throw HallmarkException.badInput("PKCS#11 URI " + uri + ": attribute '" + a.getKey() + "' is refused in a key reference "
                                + "(the PIN comes from --pkcs11-pin-file and the library from --pkcs11-library, never from a stored reference)");
                    }
                    if (!IGNORED.contains(a.getKey())) {
                        throw HallmarkException.badInput("PKCS#11 URI " + uri + ": unknown attribute '" + a.getKey()
                                + "' (accepted: token, object, id, type=private)");
                    }
                }
            }
        }
        if (token == null) {
            throw HallmarkException.badInput("PKCS#11 URI " + uri + " names no token (token=LABEL)");
        }
        return new Pkcs11Uri(token, object, id);
    }

    private static void collect(String uri, String part, String separator, boolean query, Map<String, byte[]> into) {
        if (part.isEmpty()) return;
        for (String pair : part.split(separator, -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw HallmarkException.badInput("PKCS#11 URI " + uri + ": '" + pair + "' is not attribute=value");
            }
            String name = pair.substring(0, eq);
            if (into.put(name, decode(uri, pair.substring(eq + 1), query)) != null) {
                throw HallmarkException.badInput("PKCS#11 URI " + uri + ": attribute '" + name + "' given twice");
            }
        }
    }

    /** RFC 7512's pk11-pchar and pk11-qchar: a query value may also hold '/', '?' and '|' unencoded. */
    private static byte[] decode(String uri, String value, boolean query) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 3 > value.length()) {
                    throw HallmarkException.badInput("PKCS#11 URI " + uri + ": truncated percent-encoding in '" + value + "'");
                }
                try {
                    out.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
                } catch (IllegalArgumentException e) {
                    throw HallmarkException.badInput("PKCS#11 URI " + uri + ": bad percent-encoding in '" + value + "'");
                }
                i += 2;
            } else if (c > 0x7e || c < 0x21 || (query ? "#[]\"<>\\^`{}" : "/?#\"<>\\^`{|}").indexOf(c) >= 0) {
                throw HallmarkException.badInput("PKCS#11 URI " + uri + ": character '" + c + "' must be percent-encoded");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** The canonical text: every byte outside RFC 3986's unreserved set percent-encoded, the id always. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(SCHEME).append(":token=").append(encode(token.getBytes(StandardCharsets.UTF_8), false));
        if (object != null) s.append(";object=").append(encode(object.getBytes(StandardCharsets.UTF_8), false));
        if (id != null) s.append(";id=").append(encode(id, true));
        return s.append(";type=private").toString();
    }

    private static String encode(byte[] bytes, boolean all) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0;
            if (unreserved && !all) s.append(c);
            else s.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pkcs11Uri u && u.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
