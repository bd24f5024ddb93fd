package io.hallmark.core.store;

import java.util.List;
import java.util.Optional;

/**
 * Issued certificates. Rows are never updated: revocation is a separate append-only record, so the
 * certificate a device holds is always exactly the one stored.
 */
public interface CertificateRepository {

    void insert(CertificateRecord certificate);

    Optional<CertificateRecord> find(String serial);

    List<CertificateRecord> find(CertificateQuery query);

    /** Records a revocation; false if the certificate was already revoked (the first one stands). */
    boolean revoke(String serial, Revocation revocation);

    long count();
}
