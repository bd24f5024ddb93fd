package io.hallmark.store;

import io.hallmark.core.inventory.CertificateKeyAlgorithm;
import io.hallmark.core.store.Store;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills {@code certificates.key_algorithm} for rows written before it was recorded (migration V10), reading
 * their DER: a thousand rows per transaction, so a large store is neither held locked nor loaded into memory.
 * Runs each time the store opens; once done it costs one indexed lookup that finds nothing.
 */
final class KeyAlgorithmBackfill {

    static final int BATCH = 1000;

    private KeyAlgorithmBackfill() {
    }

    /** Returns the number of rows filled. */
    static long run(Store store) {
        long filled = 0;
        while (true) {
            int n = store.inTransaction(tx -> {
                Sql sql = ((JdbcTx) tx).sql();
                List<Object[]> updates = new ArrayList<>();
                sql.each("SELECT serial, der FROM certificates WHERE key_algorithm IS NULL LIMIT " + BATCH,
                        rs -> new Object[]{CertificateKeyAlgorithm.of(rs.getBytes("der")), rs.getString("serial")}, updates::add);
                sql.batch("UPDATE certificates SET key_algorithm = ? WHERE serial = ?", updates);
                return updates.size();
            });
            filled += n;
            if (n < BATCH) break;
        }
        if (filled > 0) {
            // Fresh statistics for the new column and indexes. Measured on PostgreSQL at 200,000 backfilled rows: the
            // overview's GROUP BY took 235-410 ms right after the backfill, 42-78 ms (an index-only scan) after VACUUM
            // ANALYZE. ANALYZE gives the planner its statistics here; autovacuum, which the 200,000 updates wake, sets
            // the visibility map that index-only scans need.
            store.inTransaction(tx -> ((JdbcTx) tx).sql().update("ANALYZE certificates"));
        }
        return filled;
    }
}
