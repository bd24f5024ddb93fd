package io.hallmark.device;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Small certificates for unit tests: a root, a CA under it, a leaf under that, any validity. */
final class TestCerts {

    private static final AtomicLong SERIAL = new AtomicLong(0x1000);

    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private TestCerts() {
    }

    static Issued root(String cn) throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        return new Issued(sign(new X500Name("CN=" + cn), keys, new X500Name("CN=" + cn), keys.getPrivate(),
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400), true), keys);
    }

    static Issued under(Issued issuer, String cn, boolean ca, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        return new Issued(sign(new X500Name("CN=" + cn), keys, issuerName, issuer.keys().getPrivate(), notBefore, notAfter, ca), keys);
    }

    private static X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, boolean ca) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return Pem.x509(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)).getEncoded());
    }
}
