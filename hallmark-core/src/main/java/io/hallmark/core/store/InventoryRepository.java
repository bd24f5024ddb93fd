package io.hallmark.core.store;

import java.util.List;
import java.util.function.Consumer;

/**
 * Inventory queries over certificates, their devices and revocations. Results are ordered by serial, so a page
 * continues after the last serial of the one before (keyset paging: stable while certificates are added).
 */
public interface InventoryRepository {

    /** At most {@code limit} rows matching {@code filter} whose serial sorts after {@code afterSerial} (null: from the start). */
    List<InventoryRow> page(InventoryFilter filter, String afterSerial, int limit);

    /** Every row matching {@code filter}, streamed from the database (memory stays bounded whatever the count). */
    void each(InventoryFilter filter, Consumer<InventoryRow> consumer);

    /** The overview counts at {@code at}; {@code deprecated} are the algorithms marked deprecated. */
    InventoryOverview overview(java.time.Instant at, List<String> deprecated);
}
