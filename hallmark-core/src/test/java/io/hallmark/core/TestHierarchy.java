package io.hallmark.core;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** A root (pathLen 1) and an issuing CA (pathLen 0) below it, both valid "forever", made by the assembler. */
public final class TestHierarchy {

    public final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    public final TestKey rootKey = TestKey.generate(KeyAlgorithm.EC_P256);
    public final TestKey caKey = TestKey.generate(KeyAlgorithm.EC_P256);
    public final X509CertificateHolder root;
    public final X509CertificateHolder ca;

    public TestHierarchy() {
        root = CertificateAssembler.sign(new CertificateTemplate(new X500Name("CN=Test Root CA,O=Hallmark Test"), rootKey.spki(),
                now, Validity.NO_WELL_DEFINED_EXPIRATION, Profiles.ROOT_CA, 1, List.of()), null, rootKey);
        ca = CertificateAssembler.sign(new CertificateTemplate(new X500Name("CN=Test IDevID CA,O=Hallmark Test"), caKey.spki(),
                now, Validity.NO_WELL_DEFINED_EXPIRATION, Profiles.ISSUING_CA, 0, List.of()), root, rootKey);
    }
}
