package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.inventory.Inventory;
import io.hallmark.core.inventory.InventoryFilters;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /api/v1/inventory}: the inventory filters as query parameters (the CLI's option names), paged with an
 * opaque cursor ({@code next} of the previous page) and {@code limit}; {@code GET /api/v1/inventory/overview}: the
 * overview counts. Both with the READ permission.
 */
final class InventoryEndpoints {

    private static final int DEFAULT_LIMIT = 1000;
    /** Query strings longer than this are refused: every filter fits in far less. */
    private static final int MAX_QUERY = 4096;

    private final Inventory inventory;
    private final ApiAuth auth;

    InventoryEndpoints(Hallmark hallmark, ApiAuth auth) {
        this.inventory = new Inventory(hallmark.store(), hallmark.clock(), hallmark::profiles);
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", ApiEndpoints.BASE + "/inventory", x -> {
            auth.require(x, Permission.READ);
            Map<String, String> filters = InventoryFilters.text();
            String cursor = null;
            int limit = DEFAULT_LIMIT;
            for (Map.Entry<String, String> p : parameters(x).entrySet()) {
                switch (p.getKey()) {
                    case "cursor" -> cursor = p.getValue();
                    case "limit" -> limit = limit(p.getValue());
                    default -> filters.put(p.getKey(), p.getValue());
                }
            }
            ApiEndpoints.json(x, 200, inventory.page(filters, cursor, limit));
        });
        router.add("GET", ApiEndpoints.BASE + "/inventory/overview", x -> {
            auth.require(x, Permission.READ);
            ApiEndpoints.json(x, 200, inventory.overview());
        });
    }

    private static int limit(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "limit must be a number from 1 to " + Inventory.MAX_PAGE);
        }
    }

    /** The query parameters, decoded; a name given twice is refused rather than one of its values silently chosen. */
    private static Map<String, String> parameters(Exchange x) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String q = x.query();
        if (q == null || q.isEmpty()) return out;
        if (q.length() > MAX_QUERY) throw new HttpError(400, "query string longer than " + MAX_QUERY + " characters");
        for (String part : q.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : decode(part.substring(eq + 1));
            if (out.put(name, value) != null) throw new HttpError(400, "parameter '" + name + "' given more than once");
        }
        return out;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed query string: " + e.getMessage());
        }
    }
}
