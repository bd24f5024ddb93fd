package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling the REST API: a Bearer token, or a client certificate from clients-ca registered as an
 * operator. Every route states the permission it needs; there is no route without one.
 */
final class ApiAuth {

    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"hallmark\"");

    private final Hallmark hallmark;

    ApiAuth(Hallmark hallmark) {
        this.hallmark = hallmark;
    }

    Principal require(Exchange x, Permission permission) {
        if (!x.secure()) {
            throw new HttpError(403, "the API is served over HTTPS only");
        }
        Principal principal = identify(x);
        if (!principal.role().may(permission)) {
            throw new HttpError(403, principal.actor() + " (role " + principal.role().id() + ") may not " + permission.name().toLowerCase(java.util.Locale.ROOT));
        }
        return principal;
    }

    private Principal identify(Exchange x) {
        String auth = x.header("Authorization");
        if (auth != null) {
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new HttpError(401, "use 'Authorization: Bearer TOKEN'", CHALLENGE);
            }
            try {
                return hallmark.credentials().authenticateToken(auth.substring(7));
            } catch (HallmarkException e) {
                throw unauthenticated(e);
            }
        }
        Optional<Principal> byCert = x.clientChain().isEmpty() ? Optional.empty() : operator(x.clientChain().getFirst(), x);
        return byCert.orElseThrow(() -> new HttpError(401, "authenticate with an API token or an operator client certificate", CHALLENGE));
    }

    private Optional<Principal> operator(X509Certificate leaf, Exchange x) {
        X509Certificate clientsCa = hallmark.cas().get("clients-ca").x509();
        try {
            leaf.checkValidity();
            leaf.verify(clientsCa.getPublicKey());
        } catch (Exception e) {
            return Optional.empty(); // an IDevID or a foreign certificate: not an operator
        }
        try {
            return hallmark.credentials().authenticateCertificate(leaf);
        } catch (HallmarkException e) {
            throw unauthenticated(e);
        }
    }

    /** A refused credential is a 401 with the challenge; anything else (the store failing) stays what it is, a 5xx. */
    private static RuntimeException unauthenticated(HallmarkException e) {
        return e.kind() == HallmarkException.Kind.UNAUTHENTICATED ? new HttpError(401, e.getMessage(), CHALLENGE) : e;
    }
}
