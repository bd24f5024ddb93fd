package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.TestHierarchy;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.publication.Publication;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keys.signatureAlgorithms: a CA whose key signs otherwise is refused before anything is signed, on the batch path too. */
class SignatureAlgorithmChoiceTest {

    private final TestHierarchy h = new TestHierarchy();

    private Profile allowing(String... algorithms) {
        return new Profile("p384-only", ProfileKind.END_ENTITY, Validity.parse("1d"), List.of("digitalSignature"), List.of(), false, false,
                Profile.Presence.forbidden, new KeyPolicy(KeyPolicy.DEFAULT.allowed(), 2048, Set.of(algorithms)));
    }

    private CertificateAuthority ca(Profile p) throws Exception {
        return new CertificateAuthority("ca", "root", KeyAlgorithm.EC_P256, "test", h.ca.getEncoded(), 0, List.of(p.name()), Instant.now());
    }

    @Test
    void aCaKeyTheProfileDoesNotAllowIsRefusedWithTheReason() throws Exception {
        Profile p = allowing("ecdsa-with-SHA384");
        HallmarkException e = assertThrows(HallmarkException.class, () -> new IssuanceSigner(ca(p), h.caKey, p, 1, Publication.NONE));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertEquals("CA ca cannot issue profile p384-only: its certificates would be signed with ecdsa-with-SHA256; the profile allows ecdsa-with-SHA384",
                e.getMessage());
        // Allowed, and the built-ins (which declare none): the batch signer is made, on the fast template.
        assertTrue(new IssuanceSigner(ca(allowing("ecdsa-with-SHA256")), h.caKey, allowing("ecdsa-with-SHA256"), 1, Publication.NONE).usesTemplate());
        assertTrue(new IssuanceSigner(new CertificateAuthority("ca", "root", KeyAlgorithm.EC_P256, "test", h.ca.getEncoded(), 0,
                List.of("idevid", "ldevid"), Instant.now()), h.caKey, Profiles.IDEVID, 32, Publication.NONE).usesTemplate());
        assertTrue(new IssuanceSigner(new CertificateAuthority("ca", "root", KeyAlgorithm.EC_P256, "test", h.ca.getEncoded(), 0,
                List.of("idevid", "ldevid"), Instant.now()), h.caKey, Profiles.LDEVID, 32, Publication.NONE).usesTemplate());
        // A profile taking names from the request: the general encoder.
        Profile dac = io.hallmark.core.profile.ProfileFieldsTest.matterLike();
        org.junit.jupiter.api.Assertions.assertFalse(new IssuanceSigner(ca(dac), h.caKey, dac, 1, Publication.NONE).usesTemplate());
    }
}
