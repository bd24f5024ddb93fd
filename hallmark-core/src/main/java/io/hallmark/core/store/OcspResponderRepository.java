package io.hallmark.core.store;

import java.util.Optional;

/** Each CA's current OCSP responder, replaced when it is rotated. */
public interface OcspResponderRepository {

    /**
     * Takes the CA's rotation lock until the transaction ends, so that of several nodes finding the responder
     * due at once one rotates and the others then read its successor: a row lock on PostgreSQL; on SQLite the
     * write transaction ({@link Store#inTransaction}) already holds the database's write lock.
     */
    void lock(String caName);

    Optional<OcspResponderRecord> find(String caName);

    /** Makes {@code responder} its CA's current one, replacing (and so deleting the sealed key of) the previous one. */
    void put(OcspResponderRecord responder);
}
