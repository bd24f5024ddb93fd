package io.hallmark.core.access;

import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.principal.Role.Permission;

import java.util.List;

/**
 * A call of the REST API as {@link PrincipalAuthorizer} judges it: the permission its route needs and the
 * evidence the front end collected (a bearer token, or a TLS client certificate chain).
 */
public record ApiCall(Permission permission, List<Evidence> evidence) {

    public ApiCall {
        evidence = List.copyOf(evidence);
    }
}
