package io.hallmark.core.store;

/** A device's identity of one profile and the certificate it is bound to. */
public record BoundIdentity(String deviceId, String profile, CertificateRecord certificate) {
}
