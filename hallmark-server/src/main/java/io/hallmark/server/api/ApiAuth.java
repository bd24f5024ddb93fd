package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.access.ApiCall;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.store.EventType;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.RateLimiter;

import java.util.List;
import java.util.Map;

/**
 * The REST API's front end to the principal authorizer: collects the evidence (a Bearer token, else the TLS
 * client certificate chain) and turns the answer into HTTP. Every route states the permission it needs;
 * there is no route without one.
 */
public final class ApiAuth {

    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"hallmark\"");

    private final Hallmark hallmark;
    private final RateLimiter limiter;

    /** Without a rate limit (tests and embedded use). */
    public ApiAuth(Hallmark hallmark) {
        this(hallmark, new RateLimiter("API", RateLimiter.Limit.OFF));
    }

    /**
     * @param limiter charged once per call: to the principal once authenticated, else to the address the refused
     *                credential came from, which is turned away before authenticating again when its allowance is
     *                spent (a flood of invented tokens costs a store lookup and an event each otherwise)
     */
    public ApiAuth(Hallmark hallmark, RateLimiter limiter) {
        this.hallmark = hallmark;
        this.limiter = limiter;
    }

    public Principal require(Exchange x, Permission permission) {
        if (!x.secure()) {
            throw new HttpError(403, "the API is served over HTTPS only");
        }
        String refusals = RateLimiter.refusals(x);
        limiter.refuseExhausted(refusals);
        Principal principal;
        try {
            principal = hallmark.principals().authorize(new ApiCall(permission, evidence(x)))
                    .orElseThrow(() -> new HttpError(401, "authenticate with an API token or an operator client certificate", CHALLENGE));
        } catch (HttpError e) {
            limiter.charge(refusals);
            refused(x, e.getMessage());
            throw e;
        } catch (HallmarkException e) {
            // A refused credential is a 401 with the challenge; anything else (a role without the permission: 403,
            // the store failing: 5xx) stays what it is.
            if (e.kind() == HallmarkException.Kind.UNAUTHENTICATED || e.kind() == HallmarkException.Kind.FORBIDDEN) {
                if (e.kind() == HallmarkException.Kind.UNAUTHENTICATED) limiter.charge(refusals);
                refused(x, e.getMessage());
            }
            throw e.kind() == HallmarkException.Kind.UNAUTHENTICATED ? new HttpError(401, e.getMessage(), CHALLENGE) : e;
        }
        limiter.acquire("principal:" + principal.id());
        return principal;
    }

    /** A refused API call, recorded as an authentication failure with its reason and the route it was for. */
    private void refused(Exchange x, String reason) {
        hallmark.events().record(EventType.AUTH_FAILURE, null, "api:" + x.method() + " " + x.path(), "failed", reason);
    }

    /** A request with an Authorization header is judged by its token alone, never by a certificate beside it. */
    private static List<Evidence> evidence(Exchange x) {
        String auth = x.header("Authorization");
        if (auth != null) {
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new HttpError(401, "use 'Authorization: Bearer TOKEN'", CHALLENGE);
            }
            return List.of(new Evidence.BearerToken(auth.substring(7)));
        }
        return x.clientChain().isEmpty() ? List.of() : List.of(new Evidence.ClientCertificateChain(x.clientChain()));
    }
}
