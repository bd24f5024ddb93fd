package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.factory.FactoryBatches;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.Router;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;

/**
 * Factory batches and their progress ('hallmark factory batches', 'factory batch ID'): newest first, paged with the
 * cursor {@code next} of the previous page, as /inventory pages. Reading only; batches are run by stations
 * ({@code POST /factory/{ca}/{profile}}) and by 'hallmark factory run'.
 */
final class FactoryBatchRoutes {

    private static final int DEFAULT_LIMIT = 100;

    private final Hallmark hallmark;
    private final ApiAuth auth;

    FactoryBatchRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/factory/batches", x -> {
            auth.require(x, Permission.READ);
            String limit = ApiEndpoints.query(x, "limit");
            int n;
            try {
                n = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw new HttpError(400, "limit must be a number from 1 to " + FactoryBatches.MAX_PAGE);
            }
            json(x, 200, hallmark.factoryBatches().page(ApiEndpoints.query(x, "cursor"), n));
        });
        router.add("GET", BASE + "/factory/batches/{id}", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, hallmark.factoryBatches().get(x.param("id")));
        });
    }
}
