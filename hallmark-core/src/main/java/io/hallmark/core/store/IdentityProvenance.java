package io.hallmark.core.store;

/**
 * Where a bound device identity (an IDevID: a profile of one certificate per device) came from, as recorded with it.
 *
 * @param station    the factory station that provisioned it; null for one issued by an operator or over EST
 * @param keyStorage where the device keeps the certificate's key, as the station declared it: secure-element, tpm or
 *                   software; null when nobody said
 */
public record IdentityProvenance(String station, String keyStorage) {
}
