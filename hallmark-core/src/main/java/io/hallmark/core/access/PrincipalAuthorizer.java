package io.hallmark.core.access;

import io.hallmark.core.authorize.Authorizer;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;

import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * API principals as an authorizer: a bearer token, or a client certificate from clients-ca registered as an
 * operator ({@code hallmark operator create}), becomes the principal it was registered as, if its role has
 * the permission the call needs. Both are read from the store on every call ({@link Credentials}): a revoked
 * or expired token, registration or certificate is refused at once, on every node.
 */
public final class PrincipalAuthorizer implements Authorizer<ApiCall, Principal> {

    private final Credentials credentials;
    private final Supplier<X509Certificate> clientsCa;

    /** @param clientsCa the CA whose certificates may be registered as operators (clients-ca), asked on every call */
    public PrincipalAuthorizer(Credentials credentials, Supplier<X509Certificate> clientsCa) {
        this.credentials = credentials;
        this.clientsCa = clientsCa;
    }

    /**
     * @return empty when the call carries no evidence of a principal (no token, no operator certificate)
     * @throws HallmarkException UNAUTHENTICATED for a malformed, unknown, revoked or expired credential,
     *                           FORBIDDEN when the principal's role lacks the permission
     */
    @Override
    public Optional<Principal> authorize(ApiCall call) {
        Optional<Principal> principal = call.evidence().stream()
                .map(this::principalOf)
                .flatMap(Optional::stream)
                .findFirst();
        principal.ifPresent(p -> {
            if (!p.role().may(call.permission())) {
                throw HallmarkException.forbidden(p.actor() + " (role " + p.role().id() + ") may not "
                        + call.permission().name().toLowerCase(Locale.ROOT));
            }
        });
        return principal;
    }

    private Optional<Principal> principalOf(Evidence evidence) {
        return switch (evidence) {
            case Evidence.BearerToken token -> Optional.of(credentials.authenticateToken(token.token()));
            case Evidence.ClientCertificateChain chain -> operator(chain.leaf());
            default -> Optional.empty();
        };
    }

    private Optional<Principal> operator(X509Certificate leaf) {
        try {
            leaf.checkValidity();
            leaf.verify(clientsCa.get().getPublicKey());
        } catch (Exception e) {
            return Optional.empty(); // an IDevID or a foreign certificate: not an operator
        }
        return credentials.authenticateCertificate(leaf);
    }
}
