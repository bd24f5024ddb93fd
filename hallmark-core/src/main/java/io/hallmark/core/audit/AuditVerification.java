package io.hallmark.core.audit;

/**
 * Outcome of walking the audit chain.
 *
 * @param entries  entries read
 * @param headHash hash of the last entry: record it elsewhere to detect truncation later
 * @param brokenAt sequence number of the first bad entry, or null if the chain is intact
 */
public record AuditVerification(long entries, String headHash, Long brokenAt, String problem) {

    public boolean intact() {
        return brokenAt == null;
    }

    static AuditVerification intact(long entries, String headHash) {
        return new AuditVerification(entries, headHash, null, null);
    }

    static AuditVerification broken(long entries, long at, String problem) {
        return new AuditVerification(entries, null, at, problem);
    }
}
