package io.hallmark.core.store;

/**
 * One revoked certificate as CRLs and OCSP need it: no DER, no subject.
 *
 * @param crlPartition the CRL partition recorded at issuance, null for certificates issued without one
 * @param seq          position in the store-wide revocation sequence; 0 for revocations recorded before it existed
 */
public record RevokedEntry(String serial, String caName, Integer crlPartition, Revocation revocation, long seq) {
}
