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
}
