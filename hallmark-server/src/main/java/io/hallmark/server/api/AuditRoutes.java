package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

import java.util.ArrayList;
import java.util.List;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;

/** The audit log's entries, oldest first, a page at a time: {@code after} is the cursor (the last sequence number seen). */
final class AuditRoutes {

    static final int MAX_PAGE = 1000;

    private final Hallmark hallmark;
    private final ApiAuth auth;

    AuditRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/audit/entries", x -> {
            auth.require(x, Permission.AUDIT);
            long after = number(ApiEndpoints.query(x, "after"), 0, Long.MAX_VALUE, 0, "after");
            int limit = (int) number(ApiEndpoints.query(x, "limit"), 1, MAX_PAGE, 100, "limit");
            // The store's scan walks the chain in order; only one page (and one look-ahead) is held.
            List<AuditEntry> page = new ArrayList<>();
            boolean[] more = {false};
            hallmark.store().run(tx -> tx.audit().scan(e -> {
                if (e.seq() <= after) return;
                if (page.size() < limit) page.add(e);
                else more[0] = true;
            }));
            json(x, 200, new Page(page, more[0] ? page.getLast().seq() : null));
        });
    }

    record Page(List<AuditEntry> entries, Long next) {
    }

    private static long number(String text, long min, long max, long otherwise, String name) {
        if (text == null) return otherwise;
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // the error below
        }
        throw new HttpError(400, name + " must be a number from " + min + " to " + max);
    }
}
