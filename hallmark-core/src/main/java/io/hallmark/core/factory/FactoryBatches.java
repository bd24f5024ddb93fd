package io.hallmark.core.factory;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.FactoryBatchRecord;
import io.hallmark.core.store.Store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Reading factory batches and their progress (the API, the CLI, the console), newest first, a page at a time. */
public final class FactoryBatches {

    public static final int MAX_PAGE = 1000;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");

    /** A page and the cursor of the next one (null on the last). */
    public record Page(List<BatchStatus> batches, String next) {
    }

    private final Store store;
    private final Clock clock;

    public FactoryBatches(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @param cursor {@code next} of the previous page, or null for the newest */
    public Page page(String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw HallmarkException.badInput("limit must be a number from 1 to " + MAX_PAGE);
        }
        FactoryBatchRecord.Position after = cursor == null ? null : decode(cursor);
        List<FactoryBatchRecord> rows = store.read(tx -> tx.factoryBatches().page(after, limit + 1));
        Instant now = clock.instant();
        boolean more = rows.size() > limit;
        List<FactoryBatchRecord> shown = more ? rows.subList(0, limit) : rows;
        return new Page(shown.stream().map(r -> BatchStatus.of(r, now)).toList(), more ? encode(shown.getLast().position()) : null);
    }

    public BatchStatus get(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw HallmarkException.badInput("a batch id is 24 hex digits, not '" + id + "'");
        }
        return store.read(tx -> tx.factoryBatches().find(id)).map(r -> BatchStatus.of(r, clock.instant()))
                .orElseThrow(() -> HallmarkException.notFound("no factory batch " + id));
    }

    /** Opaque to callers: the position of the last batch shown, which they hand back unchanged. */
    static String encode(FactoryBatchRecord.Position p) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((p.startedAt().toEpochMilli() + ":" + p.id()).getBytes(StandardCharsets.US_ASCII));
    }

    static FactoryBatchRecord.Position decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int colon = text.indexOf(':');
            String id = text.substring(colon + 1);
            if (colon < 1 || !ID.matcher(id).matches()) throw new IllegalArgumentException(text);
            return new FactoryBatchRecord.Position(Instant.ofEpochMilli(Long.parseLong(text.substring(0, colon))), id);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw HallmarkException.badInput("cursor is not one this listing handed out");
        }
    }
}
