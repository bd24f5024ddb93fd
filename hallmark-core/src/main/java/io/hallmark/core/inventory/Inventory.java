package io.hallmark.core.inventory;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.InventoryFilter;
import io.hallmark.core.store.InventoryOverview;
import io.hallmark.core.store.InventoryRow;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The fleet's inventory: filtered listings (streamed, or paged with an opaque cursor), the overview counts, and
 * the algorithms marked deprecated. What the CLI's {@code hallmark inventory} and {@code GET /api/v1/inventory} use.
 */
public final class Inventory {

    /** The most rows one page holds. */
    public static final int MAX_PAGE = 10_000;

    private final Store store;
    private final Clock clock;
    private final Supplier<Profiles> profiles;

    public Inventory(Store store, Clock clock, Supplier<Profiles> profiles) {
        this.store = store;
        this.clock = clock;
        this.profiles = profiles;
    }

    /** A page of rows and the cursor of the next one (null on the last page). */
    public record Page(List<InventoryRow> items, String next) {
    }

    /** Up to {@code limit} rows after {@code cursor} (null: the first page). */
    public Page page(Map<String, String> filters, String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw io.hallmark.core.error.HallmarkException.badInput("limit must be from 1 to " + MAX_PAGE);
        String after = InventoryCursor.serialOf(cursor);
        Set<String> profileNames = profileNames();
        return store.read(tx -> {
            List<InventoryRow> rows = tx.inventory().page(filter(tx, filters, profileNames), after, limit + 1);
            boolean more = rows.size() > limit;
            List<InventoryRow> items = more ? new ArrayList<>(rows.subList(0, limit)) : rows;
            return new Page(items, more ? InventoryCursor.after(items.getLast().serial()) : null);
        });
    }

    /** Every matching row, in serial order, streamed: for listings of any size. */
    public void each(Map<String, String> filters, Consumer<InventoryRow> consumer) {
        Set<String> profileNames = profileNames();
        store.read(tx -> {
            tx.inventory().each(filter(tx, filters, profileNames), consumer);
            return null;
        });
    }

    /** The overview counts now (see {@link InventoryOverview}). */
    public InventoryOverview overview() {
        return store.read(tx -> tx.inventory().overview(clock.instant(), DeprecatedAlgorithms.read(tx.config())));
    }

    public List<String> deprecated() {
        return store.read(Inventory::deprecated);
    }

    /** The algorithms marked deprecated, read in {@code tx}. */
    public static List<String> deprecated(Tx tx) {
        return DeprecatedAlgorithms.read(tx.config());
    }

    /** Marks {@code algorithm} deprecated (audited); returns the list after the change. */
    public List<String> deprecate(String algorithm, String actor) {
        return change(CertificateKeyAlgorithm.parse(algorithm), true, actor);
    }

    /** Takes the deprecated mark off {@code algorithm} (audited); returns the list after the change. */
    public List<String> undeprecate(String algorithm, String actor) {
        return change(CertificateKeyAlgorithm.parse(algorithm), false, actor);
    }

    private List<String> change(String algorithm, boolean deprecate, String actor) {
        return store.inTransaction(tx -> {
            List<String> list = new ArrayList<>(DeprecatedAlgorithms.read(tx.config()));
            boolean changed = deprecate ? !list.contains(algorithm) && list.add(algorithm) : list.remove(algorithm);
            if (changed) {
                DeprecatedAlgorithms.write(tx.config(), list);
                tx.audit().append(actor, AuditEvent.of(deprecate ? "algorithm.deprecate" : "algorithm.undeprecate", algorithm), clock.instant());
            }
            return DeprecatedAlgorithms.read(tx.config());
        });
    }

    /**
     * Read before the listing's transaction opens, never inside it: on a cache miss the profiles are read from the store,
     * and a second pooled connection asked for while one is held is how a pool runs dry under concurrent listings.
     */
    private Set<String> profileNames() {
        return profiles.get().all().stream().map(Profile::name).collect(Collectors.toSet());
    }

    private InventoryFilter filter(Tx tx, Map<String, String> filters, Set<String> profileNames) {
        Set<String> cas = tx.cas().all().stream().map(CertificateAuthority::name).collect(Collectors.toSet());
        return InventoryFilters.parse(filters, clock.instant(), cas, profileNames, DeprecatedAlgorithms.read(tx.config()));
    }
}
