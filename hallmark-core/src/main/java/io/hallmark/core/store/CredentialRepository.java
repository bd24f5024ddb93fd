package io.hallmark.core.store;

import io.hallmark.core.principal.Principal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API principals and one-time enrollment tokens. Secrets are stored only as hashes. */
public interface CredentialRepository {

    void insert(Principal principal);

    Optional<Principal> find(String id);

    List<Principal> all();

    /** Marks the principal revoked; false if it was already revoked (or does not exist). */
    boolean revoke(String id, Instant at);

    /** A one-time token that lets {@code deviceId} enroll once without an IDevID. */
    void insertEnrollmentToken(String id, String deviceId, String secretHash, Instant expiresAt, Instant createdAt);

    /** The token's device and hash if it exists, is unused and unexpired. */
    Optional<EnrollmentToken> usableEnrollmentToken(String id, Instant now);

    /** Marks the token used; false if another request used it first. Called inside the issuance transaction. */
    boolean claimEnrollmentToken(String id, Instant now);

    record EnrollmentToken(String id, String deviceId, String secretHash, Instant expiresAt) {
    }
}
