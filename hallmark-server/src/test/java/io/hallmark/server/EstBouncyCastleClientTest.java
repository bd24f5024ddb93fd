package io.hallmark.server;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.CACertsResponse;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** BouncyCastle's EST client (org.bouncycastle.est), a stock client we did not write, against the server. */
class EstBouncyCastleClientTest {

    @TempDir
    static Path dir;
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static ESTService client(KeyManager[] keys) throws Exception {
        X509Certificate root = TestTls.certificate(f.root);
        JsseESTServiceBuilder builder = new JsseESTServiceBuilder(f.server.httpsUri().getAuthority(),
                JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(root, null)), null));
        if (keys != null) builder.withKeyManagers(keys);
        return builder.build();
    }

    private static PKCS10CertificationRequest csr(KeyPair keys, X500Name subject) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    @Test
    void enrollsAndReenrolls() throws Exception {
        Path[] idevid = f.idevid("BC-1");
        ESTService est = client(TestTls.keyManagers(idevid[0], idevid[1]));

        CACertsResponse ca = est.getCACerts();
        X509CertificateHolder[] chain = ESTService.storeToArray(ca.getCertificateStore());
        assertEquals(2, chain.length, "ldevid-ca and root");
        assertTrue(est.getCSRAttributes().getAttributesResponse().hasRequirement(org.bouncycastle.asn1.x500.style.BCStyle.SERIALNUMBER));

        KeyPair first = KeyAlgorithm.EC_P256.generate();
        EnrollmentResponse enrolled = est.simpleEnroll(false, csr(first, new X500Name("CN=bc-device")), null);
        assertTrue(enrolled.isCompleted());
        X509CertificateHolder ldevid = ESTService.storeToArray(enrolled.getStore())[0];
        assertEquals("CN=bc-device,SERIALNUMBER=BC-1", ldevid.getSubject().toString());
        assertEquals("CN=Hallmark LDevID Issuing CA,O=Hallmark", ldevid.getIssuer().toString());

        // Re-enroll with the LDevID as the client certificate, a new key, the same subject.
        X509Certificate ldevidCert = new JcaX509CertificateConverter().getCertificate(ldevid);
        ESTService renewing = client(TestTls.keyManagers(ldevidCert, first.getPrivate()));
        KeyPair second = KeyAlgorithm.EC_P256.generate();
        EnrollmentResponse renewed = renewing.simpleEnroll(true, csr(second, ldevid.getSubject()), null);
        X509CertificateHolder next = ESTService.storeToArray(renewed.getStore())[0];
        assertEquals(ldevid.getSubject(), next.getSubject());
        assertNotEquals(ldevid.getSerialNumber(), next.getSerialNumber());
        assertArrayEquals(second.getPublic().getEncoded(), next.getSubjectPublicKeyInfo().getEncoded());
        assertEquals(2, f.hallmark.store().read(tx -> tx.certificates().find(
                new io.hallmark.core.store.CertificateQuery("BC-1", "ldevid-ca", null, null, 10))).size());
    }

    @Test
    void serverSideKeyGeneration() throws Exception {
        Path[] idevid = f.idevid("BC-2");
        ESTService est = client(TestTls.keyManagers(idevid[0], idevid[1]));
        EnrollmentResponse r = est.simpleEnrollWithServersideCreation(csr(KeyAlgorithm.EC_P256.generate(), new X500Name("CN=keygen")), null);
        assertTrue(r.isCompleted());
        assertNotNull(r.getPrivateKeyInfo(), "the generated key comes back");
        assertEquals("CN=keygen,SERIALNUMBER=BC-2", ESTService.storeToArray(r.getStore())[0].getSubject().toString());
    }

    @Test
    void withoutAnIdevidTheClientIsRefused() throws Exception {
        ESTService est = client(null);
        ESTException e = assertThrows(ESTException.class, () -> est.simpleEnroll(false, csr(KeyAlgorithm.EC_P256.generate(), new X500Name("CN=nobody")), null));
        assertEquals(403, e.getStatusCode());
    }
}
