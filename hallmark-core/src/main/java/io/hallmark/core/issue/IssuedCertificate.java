package io.hallmark.core.issue;

import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;

import java.util.List;

/**
 * The outcome of an issuance: the stored certificate and its CA chain (issuing CA first, root last).
 *
 * @param replayed true when the device already had this certificate for this key and it was returned
 *                 again rather than a new one being issued (idempotent provisioning)
 */
public record IssuedCertificate(CertificateRecord certificate, List<CertificateAuthority> chain, boolean replayed) {
}
