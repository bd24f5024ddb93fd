package io.hallmark.core.audit;

import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, signature type 0x01: a text ending in a
 * newline, a blank line, then lines "— NAME base64(keyID || signature)". The key ID is the first four bytes of
 * SHA-256(NAME || 0x0A || 0x01 || public key); a verifier key is written "NAME+hex(keyID)+base64(0x01 || public key)",
 * the form Go's golang.org/x/mod/sumdb/note reads, so other tools can check Hallmark's checkpoints.
 */
public final class SignedNote {

    static final byte ED25519 = 0x01;
    private static final String DASH = "\u2014 ";
    /** Far above any checkpoint; a bound so a huge file is refused rather than read into memory. */
    public static final int MAX_BYTES = 64 * 1024;

    private SignedNote() {
    }

    /** A verifier key: the name and the Ed25519 public key (32 bytes) that sign under it. */
    public record VerifierKey(String name, byte[] publicKey) {
        public VerifierKey {
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '+')) {
                throw HallmarkException.badInput("note key name '" + name + "' must not be empty or hold spaces or '+'");
            }
            if (publicKey.length != 32) throw HallmarkException.badInput("an Ed25519 public key has 32 bytes, not " + publicKey.length);
            publicKey = publicKey.clone();
        }

        public byte[] keyId() {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            in.write('\n');
            in.write(ED25519);
            in.writeBytes(publicKey);
            return Arrays.copyOf(Fingerprints.sha256(in.toByteArray()), 4);
        }

        /** {@code NAME+hex(keyID)+base64(0x01 || key)}. */
        public String encoded() {
            byte[] typed = new byte[33];
            typed[0] = ED25519;
            System.arraycopy(publicKey, 0, typed, 1, 32);
            return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
        }

        public static VerifierKey parse(String text) {
            String[] parts = text.strip().split("\\+", 3); // the key is base64, which may hold "+"
            try {
                if (parts.length != 3) throw new IllegalArgumentException("not NAME+KEYID+KEY");
                byte[] typed = Base64.getDecoder().decode(parts[2]);
                if (typed.length != 33 || typed[0] != ED25519) throw new IllegalArgumentException("not an Ed25519 (type 0x01) key");
                VerifierKey key = new VerifierKey(parts[0], Arrays.copyOfRange(typed, 1, 33));
                if (!HexFormat.of().formatHex(key.keyId()).equals(parts[1])) throw new IllegalArgumentException("its key ID does not match the key");
                return key;
            } catch (IllegalArgumentException e) {
                throw HallmarkException.badInput("malformed note verifier key: " + e.getMessage());
            }
        }

        /** From an Ed25519 public key as Java holds it (SubjectPublicKeyInfo encoding). */
        public static VerifierKey of(String name, PublicKey key) {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            if (!spki.getAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519)) {
                throw HallmarkException.badInput("signed notes here are signed with Ed25519 keys; the audit key is " + key.getAlgorithm());
            }
            return new VerifierKey(name, spki.getPublicKeyData().getBytes());
        }

        PublicKey javaKey() {
            try {
                byte[] der = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), publicKey).getEncoded();
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            } catch (Exception e) {
                throw HallmarkException.badInput("unusable Ed25519 key: " + e.getMessage());
            }
        }
    }

    /** Signs {@code text} (ending in a newline) with {@code signer}, which returns a raw Ed25519 signature. */
    public static String sign(String text, VerifierKey key, Function<byte[], byte[]> signer) {
        if (!text.endsWith("\n") || text.contains("\n\n")) throw new IllegalArgumentException("note text must end in one newline and hold no blank line");
        byte[] signature = signer.apply(text.getBytes(StandardCharsets.UTF_8));
        byte[] line = new byte[4 + signature.length];
        System.arraycopy(key.keyId(), 0, line, 0, 4);
        System.arraycopy(signature, 0, line, 4, signature.length);
        return text + "\n" + DASH + key.name() + " " + Base64.getEncoder().encodeToString(line) + "\n";
    }

    /**
     * The note's text if a signature line of {@code key} (same name and key ID) verifies; else BAD_INPUT saying what
     * is wrong. Lines of other keys are ignored, as the spec asks (a witness may have cosigned).
     */
    public static String open(String note, VerifierKey key) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) throw HallmarkException.badInput("not a signed note: no blank line before signature lines");
        String text = note.substring(0, split + 1);
        byte[] keyId = key.keyId();
        boolean named = false;
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) throw HallmarkException.badInput("malformed signature line '" + line + "'");
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2 || !parts[0].equals(key.name())) continue;
            named = true;
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw HallmarkException.badInput("malformed signature line for " + key.name());
            }
            if (raw.length < 4 || !Arrays.equals(raw, 0, 4, keyId, 0, 4)) continue;
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key.javaKey());
                verifier.update(text.getBytes(StandardCharsets.UTF_8));
                if (verifier.verify(Arrays.copyOfRange(raw, 4, raw.length))) return text;
            } catch (java.security.GeneralSecurityException e) {
                // a malformed signature: not verified
            }
            throw HallmarkException.badInput("the signature of " + key.name() + " does not verify: the note was altered or signed by another key");
        }
        throw HallmarkException.badInput(named ? "the note is signed by a key named " + key.name() + " but with another key (key ID differs)"
                : "the note carries no signature of " + key.name());
    }
}
