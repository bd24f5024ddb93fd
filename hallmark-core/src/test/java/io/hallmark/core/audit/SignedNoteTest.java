package io.hallmark.core.audit;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignedNoteTest {

    private static byte[] sign(KeyPair pair, byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCheckpointSignsAndOpensAndItsVerifierKeyRoundTrips() {
        KeyPair pair = KeyAlgorithm.ED25519.generate();
        SignedNote.VerifierKey key = SignedNote.VerifierKey.of("hallmark-audit/test", pair.getPublic());
        Checkpoint checkpoint = new Checkpoint(key.name(), 42, "ab".repeat(32), Instant.parse("2026-12-04T23:00:00Z"));
        String note = SignedNote.sign(checkpoint.body(), key, data -> sign(pair, data));
        assertTrue(note.startsWith("hallmark-audit/test\n42\n"), note);
        SignedNote.VerifierKey parsed = SignedNote.VerifierKey.parse(key.encoded());
        assertEquals(checkpoint, Checkpoint.parse(SignedNote.open(note, parsed)));
        // A cosigner's line (another key) is ignored, as signed-note asks.
        KeyPair witness = KeyAlgorithm.ED25519.generate();
        SignedNote.VerifierKey witnessKey = SignedNote.VerifierKey.of("witness.example", witness.getPublic());
        String cosigned = note + SignedNote.sign(checkpoint.body(), witnessKey, d -> sign(witness, d)).substring(checkpoint.body().length() + 1);
        assertEquals(checkpoint, Checkpoint.parse(SignedNote.open(cosigned, key)));
        assertEquals(checkpoint, Checkpoint.parse(SignedNote.open(cosigned, witnessKey)));
    }

    @Test
    void anAlteredNoteOrAnotherKeyIsRefused() {
        KeyPair pair = KeyAlgorithm.ED25519.generate();
        SignedNote.VerifierKey key = SignedNote.VerifierKey.of("hallmark-audit/test", pair.getPublic());
        String note = SignedNote.sign(new Checkpoint(key.name(), 7, "00".repeat(32), Instant.EPOCH).body(), key, d -> sign(pair, d));
        HallmarkException altered = assertThrows(HallmarkException.class, () -> SignedNote.open(note.replace("\n7\n", "\n8\n"), key));
        assertTrue(altered.getMessage().contains("does not verify"), altered.getMessage());
        SignedNote.VerifierKey impostor = SignedNote.VerifierKey.of("hallmark-audit/test", KeyAlgorithm.ED25519.generate().getPublic());
        HallmarkException other = assertThrows(HallmarkException.class, () -> SignedNote.open(note, impostor));
        assertTrue(other.getMessage().contains("key ID differs"), other.getMessage());
        String encoded = key.encoded();
        String wrongId = encoded.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
        assertThrows(HallmarkException.class, () -> SignedNote.VerifierKey.parse(wrongId));
    }

    private static byte[] signWith(KeyAlgorithm algorithm, KeyPair pair, byte[] data) {
        try {
            Signature s = algorithm.newSignature();
            s.initSign(pair.getPrivate());
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void postQuantumKeysSignASecondLineUnderTheSameNameThatEd25519VerifiersIgnore() {
        KeyPair ed = KeyAlgorithm.ED25519.generate();
        SignedNote.VerifierKey edKey = SignedNote.VerifierKey.of("hallmark-audit/test", ed.getPublic());
        Checkpoint checkpoint = new Checkpoint(edKey.name(), 9, "cd".repeat(32), Instant.parse("2026-12-05T23:00:00Z"));
        for (KeyAlgorithm algorithm : new KeyAlgorithm[]{KeyAlgorithm.ML_DSA_44, KeyAlgorithm.SLH_DSA_SHA2_128F, KeyAlgorithm.MLDSA44_ED25519_SHA512}) {
            KeyPair pq = algorithm.generate();
            SignedNote.VerifierKey pqKey = SignedNote.VerifierKey.of(edKey.name(), pq.getPublic());
            assertEquals(algorithm, pqKey.algorithm());
            assertTrue(pqKey.postQuantum());
            SignedNote.VerifierKey parsed = SignedNote.VerifierKey.parse(pqKey.encoded());
            assertEquals(pqKey.encoded(), parsed.encoded());
            assertTrue(!java.util.Arrays.equals(edKey.keyId(), pqKey.keyId()), "type and key enter the key ID");
            String note = SignedNote.sign(checkpoint.body(), java.util.List.of(new SignedNote.Signer(edKey, d -> sign(ed, d)),
                    new SignedNote.Signer(pqKey, d -> signWith(algorithm, pq, d))));
            assertEquals(2, note.substring(note.lastIndexOf("\n\n") + 2).lines().count(), note);
            assertEquals(checkpoint, Checkpoint.parse(SignedNote.open(note, edKey)), algorithm.id());
            assertEquals(checkpoint, Checkpoint.parse(SignedNote.open(note, parsed)), algorithm.id());
            assertTrue(SignedNote.carries(note, parsed) && SignedNote.carries(note, edKey));
            // The post-quantum line's signature altered: its key refuses the note, the Ed25519 key still opens it.
            String[] lines = note.split("\n");
            String last = lines[lines.length - 1];
            byte[] raw = java.util.Base64.getDecoder().decode(last.substring(last.lastIndexOf(' ') + 1));
            raw[raw.length - 1] ^= 1;
            String altered = note.substring(0, note.length() - last.length() - 1) + last.substring(0, last.lastIndexOf(' ') + 1)
                    + java.util.Base64.getEncoder().encodeToString(raw) + "\n";
            HallmarkException refused = assertThrows(HallmarkException.class, () -> SignedNote.open(altered, parsed));
            assertTrue(refused.getMessage().contains(algorithm.id() + " signature of hallmark-audit/test does not verify"), refused.getMessage());
            assertEquals(checkpoint, Checkpoint.parse(SignedNote.open(altered, edKey)));
        }
    }

    @Test
    void aVerifierKeyOfAnUnknownOrClassicalAlgorithmIsRefused() {
        // 0xff then the DER OID of Ed448 (1.3.101.113), which Hallmark does not sign notes with
        byte[] typed = new byte[1 + 5 + 57];
        typed[0] = (byte) 0xff;
        System.arraycopy(java.util.HexFormat.of().parseHex("06032b6571"), 0, typed, 1, 5);
        HallmarkException unknown = assertThrows(HallmarkException.class,
                () -> SignedNote.VerifierKey.parse("n+00000000+" + java.util.Base64.getEncoder().encodeToString(typed)));
        assertTrue(unknown.getMessage().contains("does not know"), unknown.getMessage());
        assertThrows(HallmarkException.class, () -> SignedNote.VerifierKey.of("n", KeyAlgorithm.EC_P256.generate().getPublic()));
    }
}
