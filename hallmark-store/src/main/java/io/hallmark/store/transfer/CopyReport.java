package io.hallmark.store.transfer;

import java.util.List;

/**
 * What a copy did and what was checked afterwards. {@code verified} false means nothing was left in the
 * target (the transaction was rolled back, or the new SQLite file removed).
 *
 * @param from          the source, as {@link Database#describe()}
 * @param to            the target
 * @param schemaVersion the schema version of both
 * @param tables        every table in copy order, with its rows on each side and whether its content is the same
 * @param audit         the audit chain as verified on the target
 * @param certificates  the certificates compared byte for byte with the source
 * @param verified      all checks passed and the target holds the copy
 * @param sourceChanged the source recorded something (its audit, revocation or configuration sequence moved) after
 *                      the snapshot was taken: the target is consistent, but as of the snapshot
 * @param problems      why not, one line each
 * @param warnings      what an operator should know although the copy is good (the source moved on meanwhile)
 * @param seconds       wall time of the copy and its checks
 */
public record CopyReport(String from, String to, String schemaVersion, List<TableReport> tables, AuditReport audit,
                         SampleReport certificates, boolean verified, boolean sourceChanged, List<String> problems, List<String> warnings, double seconds) {

    /** @param contentEqual the table's order-independent content digest is the same on both sides */
    public record TableReport(String name, long sourceRows, long targetRows, boolean contentEqual, String digest) {
    }

    /** @param intact the target's chain verifies and ends at the head the source's snapshot recorded */
    public record AuditReport(long entries, long headSeq, String headHash, boolean intact, String problem) {
    }

    /** @param checked certificates sampled (random ones, the first and the last issued); @param identical byte-identical DER, fingerprint matching */
    public record SampleReport(int checked, int identical) {
    }

    public long rows(String table) {
        return tables.stream().filter(t -> t.name().equals(table)).mapToLong(TableReport::targetRows).findFirst().orElse(0);
    }
}
