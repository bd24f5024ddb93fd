package io.hallmark.core.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditChainTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123456789Z");

    private static List<AuditEntry> chain(int n) {
        List<AuditEntry> entries = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEntry e = AuditChain.next(i, prev, "cli:alice",
                    AuditEvent.of("cert.issue", "serial-" + i, "profile", "idevid", "n", Integer.toString(i)), T0.plusSeconds(i));
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    /** Verifies entries against the head the untouched chain they come from recorded (chains are deterministic). */
    private static AuditVerification verify(List<AuditEntry> entries) {
        int last = (int) entries.stream().mapToLong(AuditEntry::seq).max().orElse(0);
        return verify(entries, last == 0 ? new AuditHead(0, AuditChain.GENESIS) : head(chain(last).getLast()));
    }

    private static AuditVerification verify(List<AuditEntry> entries, AuditHead head) {
        AuditChain.Verifier verifier = new AuditChain.Verifier(Optional.ofNullable(head));
        entries.forEach(verifier);
        return verifier.result();
    }

    private static AuditHead head(AuditEntry last) {
        return new AuditHead(last.seq(), last.hash());
    }

    private static AuditEntry with(AuditEntry e, String actor, String details, String prevHash) {
        return new AuditEntry(e.seq(), e.at(), actor, e.action(), e.subject(), details, prevHash, e.hash());
    }

    @Test
    void anUntouchedChainIsIntact() {
        List<AuditEntry> entries = chain(5);
        AuditVerification result = verify(entries);
        assertTrue(result.intact(), result.problem());
        assertNull(result.brokenAt());
        assertEquals(5, result.entries());
        assertEquals(entries.get(4).hash(), result.headHash());
        assertEquals(AuditChain.GENESIS, entries.get(0).prevHash());
        for (int i = 1; i < 5; i++) {
            assertEquals(entries.get(i - 1).hash(), entries.get(i).prevHash());
        }
    }

    @Test
    void anEmptyLogIsIntactAtGenesis() {
        AuditVerification result = verify(List.of());
        assertTrue(result.intact());
        assertEquals(0, result.entries());
        assertEquals(AuditChain.GENESIS, result.headHash());
    }

    @Test
    void entriesAreDeterministicAndKeepMilliseconds() {
        AuditEntry a = chain(1).get(0);
        AuditEntry b = chain(1).get(0);
        assertEquals(a, b);
        assertEquals(64, a.hash().length());
        assertEquals(Instant.parse("2025-06-01T12:00:01.123Z"), a.at());
        assertEquals("{\"n\":\"1\",\"profile\":\"idevid\"}", a.details());
    }

    @Test
    void changingOneCharacterOfDetailsBreaksTheChainThere() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry third = entries.get(2);
        entries.set(2, with(third, third.actor(), third.details().replace("\"3\"", "\"4\""), third.prevHash()));
        assertNotEquals(third.details(), entries.get(2).details());
        AuditVerification result = verify(entries);
        assertFalse(result.intact());
        assertEquals(3L, result.brokenAt());
        assertTrue(result.problem().contains("altered"), result.problem());
        assertNull(result.headHash());
    }

    @Test
    void changingTheActorBreaksTheChainThere() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry fourth = entries.get(3);
        entries.set(3, with(fourth, "cli:mallory", fourth.details(), fourth.prevHash()));
        assertEquals(4L, verify(entries).brokenAt());
    }

    @Test
    void changingTheTimeBreaksTheChain() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry e = entries.get(1);
        entries.set(1, new AuditEntry(e.seq(), e.at().plusMillis(1), e.actor(), e.action(), e.subject(), e.details(), e.prevHash(), e.hash()));
        assertEquals(2L, verify(entries).brokenAt());
    }

    @Test
    void aDeletedEntryIsReportedMissing() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        entries.remove(1);
        AuditVerification result = verify(entries);
        assertEquals(2L, result.brokenAt());
        assertTrue(result.problem().contains("missing"), result.problem());
    }

    @Test
    void aSwappedPrevHashDoesNotLink() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry fourth = entries.get(3);
        entries.set(3, with(fourth, fourth.actor(), fourth.details(), entries.get(1).hash()));
        AuditVerification result = verify(entries);
        assertEquals(4L, result.brokenAt());
        assertTrue(result.problem().contains("does not link"), result.problem());
    }

    @Test
    void aRehashedForgeryStillBreaksTheNextLink() {
        List<AuditEntry> entries = new ArrayList<>(chain(5));
        AuditEntry third = entries.get(2);
        // The forger recomputes entry 3's own hash but cannot fix entry 4's prevHash without rewriting the rest.
        entries.set(2, AuditChain.next(3, third.prevHash(), "cli:mallory", AuditEvent.of("cert.issue", "serial-3"), T0.plusSeconds(3)));
        assertEquals(4L, verify(entries).brokenAt());
    }

    @Test
    void fieldBoundariesAreUnambiguous() {
        String a = AuditChain.hash(1, T0, "ab", "c", "s", "{}", AuditChain.GENESIS);
        String b = AuditChain.hash(1, T0, "a", "bc", "s", "{}", AuditChain.GENESIS);
        assertNotEquals(a, b);
        assertNotEquals(AuditChain.hash(1, T0, null, "c", "s", "{}", AuditChain.GENESIS),
                AuditChain.hash(1, T0, "c", null, "s", "{}", AuditChain.GENESIS));
    }

    @Test
    void aCutTailIsReportedAgainstTheHead() {
        List<AuditEntry> entries = chain(5);
        AuditHead head = head(entries.getLast());
        AuditVerification one = verify(entries.subList(0, 4), head);
        assertFalse(one.intact());
        assertEquals(5L, one.brokenAt());
        assertTrue(one.problem().startsWith("entry 5 is missing: the log ends at entry 4, but its head records entry 5 (hash "
                + head.hash() + ")"), one.problem());
        AuditVerification three = verify(entries.subList(0, 2), head);
        assertEquals(3L, three.brokenAt());
        assertTrue(three.problem().startsWith("entries 3 to 5 are missing"), three.problem());
        AuditVerification all = verify(List.of(), head);
        assertEquals(1L, all.brokenAt());
        assertTrue(all.problem().startsWith("entries 1 to 5 are missing: the log ends at entry 0"), all.problem());
    }

    @Test
    void aHeadEntryOtherThanTheRecordedOneIsReported() {
        List<AuditEntry> entries = chain(5);
        AuditVerification v = verify(entries, new AuditHead(5, entries.get(3).hash()));
        assertEquals(5L, v.brokenAt());
        assertTrue(v.problem().contains("is not the one the log's head records"), v.problem());
        assertFalse(verify(List.of(), new AuditHead(0, entries.getFirst().hash())).intact(), "an empty log's head is genesis");
    }

    @Test
    void entriesAppendedAfterTheHeadWasReadAreVerifiedAndAccepted() {
        List<AuditEntry> entries = chain(5);
        AuditVerification v = verify(entries, head(entries.get(2)));
        assertTrue(v.intact(), v.problem());
        assertEquals(5, v.entries());
        assertEquals(entries.getLast().hash(), v.headHash());
    }

    @Test
    void aMissingHeadRecordIsReported() {
        AuditVerification v = verify(chain(3), null);
        assertFalse(v.intact());
        assertTrue(v.problem().contains("head record is missing"), v.problem());
    }
}
