package io.hallmark.device;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

class RenewalPolicyTest {

    @Test
    void dueOnceTheShareOfValidityHasPassed() throws Exception {
        Instant from = Instant.parse("2030-01-01T00:00:00Z");
        Instant to = Instant.parse("2030-01-01T01:40:00Z"); // 6000 s
        X509Certificate cert = TestCerts.under(TestCerts.root("r"), "leaf", false, from, to).certificate();
        RenewalPolicy policy = new RenewalPolicy(0.66);
        assertEquals(from.plusSeconds(3960), policy.renewAfter(cert));
        assertFalse(policy.due(cert, from));
        assertFalse(policy.due(cert, from.plusSeconds(3959)));
        assertTrue(policy.due(cert, from.plusSeconds(3960)));
        assertTrue(policy.due(cert, to.plusSeconds(1)), "an expired certificate is certainly due");
        assertEquals(from.plusSeconds(600), new RenewalPolicy(0.1).renewAfter(cert));
    }

    @Test
    void shareMustBeStrictlyBetweenZeroAndOne() {
        for (double bad : new double[]{0, 1, -0.5, 1.5, Double.NaN}) {
            HallmarkException e = assertThrows(HallmarkException.class, () -> new RenewalPolicy(bad), "share " + bad);
            assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        }
    }
}
