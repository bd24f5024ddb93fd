package io.hallmark.store.revocation;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Complete, delta and partition CRLs as OpenSSL sees them: signature, scope, and revocation checking. */
class CrlInteropTest {

    @TempDir
    Path dir;

    @Test
    void openSslAcceptsEveryCrlAndUsesThemToRejectRevokedCertificates() throws Exception {
        try (Fixture f = Fixture.sqlite(dir)) {
            f.publish(Map.of("ldevid-ca", 4));
            f.writeCas();
            CertificateRecord revoked = f.ldevid("revoked", "SN-1");
            CertificateRecord good = f.ldevid("good", "SN-2");
            // A third certificate in another partition than the revoked one, to check that scopes do not mix.
            CertificateRecord other = good;
            for (int i = 0; other.crlPartition().equals(revoked.crlPartition()); i++) other = f.ldevid("other" + i, "SN-O" + i);
            Path otherPem = dir.resolve(other == good ? "good.pem" : "other" + (countOthers(dir) - 1) + ".pem");

            assertNotNull(revoked.crlPartition());
            assertEquals(new BigInteger(revoked.serial(), 16).mod(BigInteger.valueOf(4)).intValue(), revoked.crlPartition());
            assertEquals("http://127.0.0.1:8080/crl/ldevid-ca-" + revoked.crlPartition() + ".crl", cdpOf(revoked));

            f.hallmark.revoker().revoke(revoked.serial(), RevocationReason.keyCompromise, Instant.now().minusSeconds(3600), Fixture.ACTOR);

            GeneratedCrl full = f.hallmark.crls().generate("ldevid-ca", false, null);
            GeneratedCrl delta = f.hallmark.crls().generate("ldevid-ca", true, null);
            GeneratedCrl part = f.hallmark.crls().generate("ldevid-ca", false, revoked.crlPartition());
            GeneratedCrl otherPart = f.hallmark.crls().generate("ldevid-ca", false, other.crlPartition());
            GeneratedCrl partDelta = f.hallmark.crls().generate("ldevid-ca", true, revoked.crlPartition());

            for (GeneratedCrl crl : new GeneratedCrl[]{full, delta, part, otherPart, partDelta}) {
                Path pem = f.write(crl.fileName() + ".pem", Pem.encode("X509 CRL", crl.der()));
                var check = Tools.openssl(dir, "crl", "-in", pem.toString(), "-CAfile", "ldevid-ca-chain.pem", "-noout");
                assertEquals(0, check.exit(), crl.fileName() + ": " + check.all());
                assertTrue(check.all().contains("verify OK"), check.all());
                X509CRLHolder holder = new X509CRLHolder(crl.der());
                assertTrue(holder.isSignatureValid(new JcaContentVerifierProviderBuilder().build(f.hallmark.cas().get("ldevid-ca").x509().getPublicKey())));
            }
            // Numbers: one increasing sequence for the CA, complete and delta alike; the delta names its base.
            assertTrue(full.number() < delta.number() && delta.number() < part.number() && part.number() < otherPart.number());
            assertEquals(full.number(), delta.baseNumber());
            assertEquals(part.number(), partDelta.baseNumber());
            X509CRLHolder deltaHolder = new X509CRLHolder(delta.der());
            assertEquals(BigInteger.valueOf(full.number()), CRLNumber.getInstance(deltaHolder.getExtension(Extension.deltaCRLIndicator).getParsedValue()).getCRLNumber());
            assertTrue(deltaHolder.getExtension(Extension.deltaCRLIndicator).isCritical());
            X509CRLHolder fullHolder = new X509CRLHolder(full.der());
            assertEquals("http://127.0.0.1:8080/crl/ldevid-ca-delta.crl", firstUri(CRLDistPoint.getInstance(fullHolder.getExtension(Extension.freshestCRL).getParsedValue())));
            X509CRLHolder partHolder = new X509CRLHolder(part.der());
            IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(partHolder.getExtension(Extension.issuingDistributionPoint).getParsedValue());
            assertEquals(cdpOf(revoked), GeneralNamesUri.of(idp));
            assertTrue(idp.onlyContainsUserCerts());

            // Contents: the revoked certificate, with reason and invalidity date, where it belongs and nowhere else.
            var entry = fullHolder.getRevokedCertificate(new BigInteger(revoked.serial(), 16));
            assertNotNull(entry);
            assertNotNull(entry.getExtensions().getExtension(Extension.reasonCode));
            assertNotNull(entry.getExtensions().getExtension(Extension.invalidityDate));
            assertNotNull(partHolder.getRevokedCertificate(new BigInteger(revoked.serial(), 16)));
            assertNull(new X509CRLHolder(otherPart.der()).getRevokedCertificate(new BigInteger(revoked.serial(), 16)));
            assertEquals(0, delta.entries(), "nothing was revoked after the base");

            // openssl verify -crl_check: the revoked LDevID is rejected, the unrevoked one accepted, with the
            // CA-wide CRL and with each certificate's own partition CRL.
            var rejected = Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", full.fileName() + ".pem", "-CAfile", "ldevid-ca-chain.pem", "revoked.pem");
            assertNotEquals(0, rejected.exit());
            assertTrue(rejected.all().contains("certificate revoked"), rejected.all());
            var rejectedByPartition = Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", part.fileName() + ".pem", "-CAfile", "ldevid-ca-chain.pem", "revoked.pem");
            assertTrue(rejectedByPartition.all().contains("certificate revoked"), rejectedByPartition.all());
            var accepted = Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", full.fileName() + ".pem", "-CAfile", "ldevid-ca-chain.pem", "good.pem");
            assertEquals(0, accepted.exit(), accepted.all());
            var acceptedByPartition = Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", otherPart.fileName() + ".pem", "-CAfile", "ldevid-ca-chain.pem", otherPem.toString());
            assertEquals(0, acceptedByPartition.exit(), acceptedByPartition.all());
            // The partition CRL of another partition does not cover the revoked certificate: OpenSSL reports a different CRL scope.
            var outOfScope = Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", otherPart.fileName() + ".pem", "-CAfile", "ldevid-ca-chain.pem", "revoked.pem");
            assertNotEquals(0, outOfScope.exit());
            assertTrue(outOfScope.all().contains("different CRL scope"), outOfScope.all());

            // A revocation after the base shows up in the next delta, and only there until the next complete CRL.
            f.hallmark.revoker().revoke(good.serial(), RevocationReason.superseded, null, Fixture.ACTOR);
            GeneratedCrl delta2 = f.hallmark.crls().generate("ldevid-ca", true, null);
            assertEquals(1, delta2.entries());
            assertNotNull(new X509CRLHolder(delta2.der()).getRevokedCertificate(new BigInteger(good.serial(), 16)));
            assertEquals(2, f.hallmark.crls().generate("ldevid-ca", false, null).entries());
        }
    }

    private static int countOthers(Path dir) throws Exception {
        try (var s = java.nio.file.Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().matches("other\\d+\\.pem")).count();
        }
    }

    private static String cdpOf(CertificateRecord cert) throws Exception {
        X509CertificateHolder h = new X509CertificateHolder(cert.der());
        Extension cdp = h.getExtension(Extension.cRLDistributionPoints);
        assertNotNull(cdp);
        assertTrue(!cdp.isCritical());
        assertNotNull(h.getExtension(Extension.authorityInfoAccess));
        return firstUri(CRLDistPoint.getInstance(cdp.getParsedValue()));
    }

    private static String firstUri(CRLDistPoint points) {
        var names = org.bouncycastle.asn1.x509.GeneralNames.getInstance(points.getDistributionPoints()[0].getDistributionPoint().getName());
        return ((org.bouncycastle.asn1.ASN1String) names.getNames()[0].getName()).getString();
    }

    private static final class GeneralNamesUri {
        static String of(IssuingDistributionPoint idp) {
            GeneralName n = org.bouncycastle.asn1.x509.GeneralNames.getInstance(idp.getDistributionPoint().getName()).getNames()[0];
            return ((org.bouncycastle.asn1.ASN1String) n.getName()).getString();
        }
    }
}
