package io.hallmark.core.audit;

import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * C2SP signed notes (https://c2sp.org/signed-note): a text ending in a newline, a blank line, then lines
 * "— NAME base64(keyID || signature)". The key ID is the first four bytes of SHA-256(NAME || 0x0A || TYPE || public key);
 * a verifier key is written "NAME+hex(keyID)+base64(TYPE || public key)", the form Go's golang.org/x/mod/sumdb/note reads
 * for Ed25519, so other tools can check Hallmark's checkpoints.
 *
 * <p>TYPE is 0x01 for Ed25519 (raw 32-byte key). For a post-quantum key, which the specification assigns no type byte,
 * TYPE is its escape 0xff followed by a longer identifier, as the specification recommends; Hallmark's identifier is the
 * DER encoding of the algorithm's OID (ML-DSA, SLH-DSA, composite ML-DSA: key and signature share it), self-delimiting,
 * so a reader finds where the key starts. The key is the SubjectPublicKeyInfo's key bits, the signature the algorithm's
 * pure signature (empty context) over the note text. This identifier is Hallmark's own until a type byte is assigned;
 * verifiers that do not know it ignore the line, as the specification requires of lines from unknown keys.
 */
public final class SignedNote {

    static final byte ED25519 = 0x01;
    /** The specification's escape for signature types it assigned no byte to. */
    static final byte UNASSIGNED = (byte) 0xff;
    private static final String DASH = "\u2014 ";
    /** Far above any checkpoint, an SLH-DSA signature included; a bound so a huge file is refused rather than read into memory. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Bound on a verifier key's text (the largest, ML-DSA-87 with a P-384 composite, is under 4 KB). */
    public static final int MAX_VKEY_BYTES = 16 * 1024;

    private SignedNote() {
    }

    /**
     * A verifier key: the name, the algorithm, and the public key (its raw bits: 32 bytes for Ed25519) that sign under it.
     */
    public record VerifierKey(String name, KeyAlgorithm algorithm, byte[] publicKey) {
        public VerifierKey {
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '+')) {
                throw HallmarkException.badInput("note key name '" + name + "' must not be empty or hold spaces or '+'");
            }
            if (algorithm != KeyAlgorithm.ED25519 && !algorithm.postQuantum()) {
                throw HallmarkException.badInput("signed notes here are signed with Ed25519 or post-quantum keys, not " + algorithm.id());
            }
            if (algorithm == KeyAlgorithm.ED25519 && publicKey.length != 32) {
                throw HallmarkException.badInput("an Ed25519 public key has 32 bytes, not " + publicKey.length);
            }
            if (publicKey.length == 0) throw HallmarkException.badInput("empty public key");
            publicKey = publicKey.clone();
        }

        /** An Ed25519 key (signature type 0x01). */
        public VerifierKey(String name, byte[] publicKey) {
            this(name, KeyAlgorithm.ED25519, publicKey);
        }

        /** Whether this key signs a post-quantum line (type 0xff and the algorithm's OID). */
        public boolean postQuantum() {
            return algorithm.postQuantum();
        }

        /** The signature type: 0x01, or 0xff followed by the DER encoding of the algorithm's OID. */
        byte[] type() {
            if (algorithm == KeyAlgorithm.ED25519) return new byte[]{ED25519};
            try {
                byte[] oid = algorithm.oid().getEncoded();
                byte[] type = new byte[1 + oid.length];
                type[0] = UNASSIGNED;
                System.arraycopy(oid, 0, type, 1, oid.length);
                return type;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private byte[] typedKey() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(type());
            out.writeBytes(publicKey);
            return out.toByteArray();
        }

        public byte[] keyId() {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            in.write('\n');
            in.writeBytes(typedKey());
            return Arrays.copyOf(Fingerprints.sha256(in.toByteArray()), 4);
        }

        /** {@code NAME+hex(keyID)+base64(TYPE || key)}. */
        public String encoded() {
            return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typedKey());
        }

        /** What to call it in reports: its algorithm and key ID. */
        public String label() {
            return algorithm.id() + " " + name + "+" + HexFormat.of().formatHex(keyId());
        }

        public static VerifierKey parse(String text) {
            String[] parts = text.strip().split("\\+", 3); // the key is base64, which may hold "+"
            try {
                if (parts.length != 3) throw new IllegalArgumentException("not NAME+KEYID+KEY");
                byte[] typed = Base64.getDecoder().decode(parts[2]);
                VerifierKey key;
                if (typed.length == 33 && typed[0] == ED25519) {
                    key = new VerifierKey(parts[0], Arrays.copyOfRange(typed, 1, 33));
                } else if (typed.length > 3 && typed[0] == UNASSIGNED && typed[1] == 0x06 && typed[2] > 0 && 3 + typed[2] < typed.length) {
                    int end = 3 + typed[2]; // a short-form DER length: every OID here is under 128 bytes
                    KeyAlgorithm algorithm = KeyAlgorithm.ofOid(ASN1ObjectIdentifier.getInstance(Arrays.copyOfRange(typed, 1, end)));
                    if (algorithm == null) throw new IllegalArgumentException("signature type 0xff with an algorithm Hallmark does not know");
                    key = new VerifierKey(parts[0], algorithm, Arrays.copyOfRange(typed, end, typed.length));
                } else {
                    throw new IllegalArgumentException("neither an Ed25519 (type 0x01) nor a post-quantum (type 0xff + OID) key");
                }
                if (!HexFormat.of().formatHex(key.keyId()).equals(parts[1])) throw new IllegalArgumentException("its key ID does not match the key");
                key.javaKey(); // a key Java cannot read is refused now rather than at verification
                return key;
            } catch (IllegalArgumentException e) {
                throw HallmarkException.badInput("malformed note verifier key: " + e.getMessage());
            }
        }

        /** From a public key as Java holds it (SubjectPublicKeyInfo encoding): Ed25519, or a post-quantum one. */
        public static VerifierKey of(String name, PublicKey key) {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            ASN1ObjectIdentifier oid = spki.getAlgorithm().getAlgorithm();
            if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) return new VerifierKey(name, spki.getPublicKeyData().getBytes());
            KeyAlgorithm algorithm = KeyAlgorithm.ofOid(oid);
            if (algorithm == null) {
                throw HallmarkException.badInput("signed notes here are signed with Ed25519 or post-quantum keys; the audit key is " + key.getAlgorithm());
            }
            return new VerifierKey(name, algorithm, spki.getPublicKeyData().getBytes());
        }

        PublicKey javaKey() {
            try {
                ASN1ObjectIdentifier oid = algorithm == KeyAlgorithm.ED25519 ? EdECObjectIdentifiers.id_Ed25519 : algorithm.oid();
                byte[] der = new SubjectPublicKeyInfo(new AlgorithmIdentifier(oid), publicKey).getEncoded();
                return algorithm.keyFactory().generatePublic(new X509EncodedKeySpec(der));
            } catch (Exception e) {
                throw HallmarkException.badInput("unusable " + algorithm.id() + " key: " + e.getMessage());
            }
        }

        boolean verifies(byte[] text, byte[] signature) {
            try {
                Signature verifier = algorithm.newSignature();
                verifier.initVerify(javaKey());
                verifier.update(text);
                return verifier.verify(signature);
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                return false; // a malformed signature: not verified
            }
        }
    }

    /** One signature line to make: the key, and what signs with it (returns the raw signature over the bytes given). */
    public record Signer(VerifierKey key, Function<byte[], byte[]> sign) {
    }

    /** Signs {@code text} (ending in a newline) with {@code signer}, which returns a raw Ed25519 signature. */
    public static String sign(String text, VerifierKey key, Function<byte[], byte[]> signer) {
        return sign(text, List.of(new Signer(key, signer)));
    }

    /** Signs {@code text} (ending in a newline) with each signer, one line each, in the order given. */
    public static String sign(String text, List<Signer> signers) {
        if (!text.endsWith("\n") || text.contains("\n\n")) throw new IllegalArgumentException("note text must end in one newline and hold no blank line");
        if (signers.isEmpty()) throw new IllegalArgumentException("a note needs at least one signature");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder note = new StringBuilder(text).append('\n');
        for (Signer signer : signers) {
            byte[] signature = signer.sign().apply(bytes);
            byte[] line = new byte[4 + signature.length];
            System.arraycopy(signer.key().keyId(), 0, line, 0, 4);
            System.arraycopy(signature, 0, line, 4, signature.length);
            note.append(DASH).append(signer.key().name()).append(' ').append(Base64.getEncoder().encodeToString(line)).append('\n');
        }
        return note.toString();
    }

    /** Whether the note has a line of {@code key} (same name and key ID), verified or not. */
    public static boolean carries(String note, VerifierKey key) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) return false;
        byte[] keyId = key.keyId();
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) continue;
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2 || !parts[0].equals(key.name())) continue;
            try {
                byte[] raw = Base64.getDecoder().decode(parts[1]);
                if (raw.length >= 4 && Arrays.equals(raw, 0, 4, keyId, 0, 4)) return true;
            } catch (IllegalArgumentException e) {
                // malformed: not a line of this key
            }
        }
        return false;
    }

    /**
     * The note's text if a signature line of {@code key} (same name and key ID) verifies; else BAD_INPUT saying what
     * is wrong. Lines of other keys are ignored, as the spec asks (a witness may have cosigned, or a key of another type
     * signed under the same name).
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
            if (key.verifies(text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(raw, 4, raw.length))) return text;
            throw HallmarkException.badInput("the " + key.algorithm().id() + " signature of " + key.name()
                    + " does not verify: the note was altered or signed by another key");
        }
        throw HallmarkException.badInput(named ? "the note is signed by a key named " + key.name() + " but not with this " + key.algorithm().id()
                + " key (key ID differs)" : "the note carries no signature of " + key.name());
    }
}
