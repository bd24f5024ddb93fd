package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;

import java.util.List;

/**
 * The subjectAltName entries a profile takes from the request (the CSR's extensionRequest, or {@code --dns}):
 * which types are allowed and which must be there. Absent from a profile: none from the CSR, and DNS names
 * and IP addresses given by the caller only for serverAuth profiles (the built-ins' rule).
 */
public record SubjectAltNamePolicy(List<SubjectAltNameType> allowed, List<SubjectAltNameType> required) {

    public SubjectAltNamePolicy {
        allowed = List.copyOf(allowed == null ? List.of() : allowed);
        required = List.copyOf(required == null ? List.of() : required);
        for (SubjectAltNameType t : required) {
            if (!allowed.contains(t)) {
                throw HallmarkException.badInput("subjectAltNames requires " + t + " but does not allow it (add it to allowed)");
            }
        }
    }
}
