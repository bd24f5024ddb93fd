package io.hallmark.device;

import io.hallmark.core.error.HallmarkException;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When to renew: once a share of the certificate's validity has passed. A share rather than a fixed
 * margin keeps the rule right for any lifetime; 2/3 leaves a year-long LDevID four months of retries.
 */
public record RenewalPolicy(double share) {

    public static final double DEFAULT_SHARE = 0.66;

    public RenewalPolicy {
        if (!(share > 0 && share < 1)) {
            throw HallmarkException.badInput("--renew-at must be a share of the validity between 0 and 1 (exclusive), e.g. 0.66; got " + share);
        }
    }

    public Instant renewAfter(X509Certificate cert) {
        Instant from = cert.getNotBefore().toInstant();
        Duration life = Duration.between(from, cert.getNotAfter().toInstant());
        return from.plusMillis((long) Math.floor(life.toMillis() * share));
    }

    public boolean due(X509Certificate cert, Instant now) {
        return !now.isBefore(renewAfter(cert));
    }
}
