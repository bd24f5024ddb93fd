package io.hallmark.core.vault;

/**
 * Told how long each signature took, by vault scheme (soft, pkcs11, ...): a server turns it into a latency
 * histogram, so a slow HSM shows before it becomes an outage. Called on the signing thread; must not block.
 */
@FunctionalInterface
public interface SigningTimer {

    SigningTimer NONE = (scheme, nanos) -> { };

    void signed(String scheme, long nanos);
}
