package io.hallmark.store.revocation;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scope of the CA-wide CRL (RFC 5280 §5.2.5) as OpenSSL judges it: the issuing distribution point that EMQX
 * needs on the CA-wide CRL of an issuing CA keeps it in scope for every certificate whose distribution point it
 * names (the CA-wide one and every partition's), its delta carries the same one, a CA that certifies CAs keeps
 * a CRL without it, and the unscoped CRL for files covers a certificate that names no distribution point.
 */
class CrlScopeInteropTest {

    @TempDir
    Path dir;

    @Test
    void theCaWideCrlNamesEveryDistributionPointOfItsCertificatesAndStillRejectsThem() throws Exception {
        try (Fixture f = Fixture.sqlite(dir)) {
            f.writeCas();
            // Issued before any base URL was set: no CRL distribution point at all.
            CertificateRecord bare = f.ldevid("bare", "SN-0");
            f.publish(Map.of());
            CertificateRecord whole = f.ldevid("whole", "SN-1"); // names ldevid-ca.crl
            f.publish(Map.of("ldevid-ca", 4));
            CertificateRecord parted = f.ldevid("parted", "SN-2"); // names ldevid-ca-K.crl
            for (CertificateRecord c : List.of(bare, whole, parted)) {
                f.hallmark.revoker().revoke(c.serial(), RevocationReason.keyCompromise, null, Fixture.ACTOR);
            }

            GeneratedCrl full = f.hallmark.crls().generate("ldevid-ca", false, null);
            GeneratedCrl delta = f.hallmark.crls().generate("ldevid-ca", true, null);
            GeneratedCrl part = f.hallmark.crls().generate("ldevid-ca", false, parted.crlPartition());
            GeneratedCrl unscoped = f.hallmark.crls().generateUnscoped("ldevid-ca");
            GeneratedCrl root = f.hallmark.crls().generate("root", false, null);

            X509CRLHolder fullHolder = new X509CRLHolder(full.der());
            Extension idpExt = fullHolder.getExtension(Extension.issuingDistributionPoint);
            assertTrue(idpExt.isCritical());
            IssuingDistributionPoint idp = IssuingDistributionPoint.getInstance(idpExt.getParsedValue());
            assertTrue(idp.onlyContainsUserCerts(), "ldevid-ca has pathLenConstraint 0: end entities only");
            assertFalse(idp.onlyContainsCACerts() || idp.isIndirectCRL() || idp.onlyContainsAttributeCerts());
            assertNull(idp.getOnlySomeReasons());
            assertEquals(List.of(Fixture.BASE_URL + "/crl/ldevid-ca.crl", Fixture.BASE_URL + "/crl/ldevid-ca-0.crl",
                    Fixture.BASE_URL + "/crl/ldevid-ca-1.crl", Fixture.BASE_URL + "/crl/ldevid-ca-2.crl",
                    Fixture.BASE_URL + "/crl/ldevid-ca-3.crl"), uris(idp));
            // A delta applies to a complete CRL of the same scope: the very same extension.
            assertArrayEquals(idpExt.getExtnValue().getOctets(),
                    new X509CRLHolder(delta.der()).getExtension(Extension.issuingDistributionPoint).getExtnValue().getOctets());
            assertNull(new X509CRLHolder(root.der()).getExtension(Extension.issuingDistributionPoint),
                    "root certifies CAs, whose certificates name no distribution point");
            X509CRLHolder unscopedHolder = new X509CRLHolder(unscoped.der());
            assertNull(unscopedHolder.getExtension(Extension.issuingDistributionPoint));
            assertNull(unscopedHolder.getExtension(Extension.freshestCRL), "the published deltas have another scope");
            assertEquals(3, unscoped.entries());
            assertTrue(unscoped.number() > part.number(), "one number sequence per CA");

            for (GeneratedCrl crl : List.of(full, delta, part, unscoped, root)) {
                Path pem = f.write(crl.fileName() + "." + crl.number() + ".pem", Pem.encode("X509 CRL", crl.der()));
                var check = Tools.openssl(dir, "crl", "-verify", "-in", pem.toString(), "-CAfile", crl.ca().equals("root") ? "root.pem" : "ldevid-ca-chain.pem", "-noout");
                assertEquals(0, check.exit(), crl.fileName() + ": " + check.all());
                assertTrue(check.all().contains("verify OK"), check.all());
            }
            String fullPem = full.fileName() + "." + full.number() + ".pem";
            String partPem = part.fileName() + "." + part.number() + ".pem";
            String unscopedPem = unscoped.fileName() + "." + unscoped.number() + ".pem";

            // In scope, and so revoked: the certificate naming the CA-wide URL and the one naming its partition.
            assertRevoked(verify(fullPem, "whole.pem"));
            assertRevoked(verify(fullPem, "parted.pem"));
            assertRevoked(verify(partPem, "parted.pem"));
            // Out of scope: a certificate that names no distribution point; the unscoped CRL covers it.
            var outOfScope = verify(fullPem, "bare.pem");
            assertNotEquals(0, outOfScope.exit());
            assertTrue(outOfScope.all().contains("different CRL scope"), outOfScope.all());
            for (String cert : List.of("bare.pem", "whole.pem", "parted.pem")) {
                assertRevoked(verify(unscopedPem, cert));
            }
            // A good certificate passes with the scoped CRL; and with both CRLs of the chain (-crl_check_all) the
            // root's CRL, without an issuing distribution point, still covers ldevid-ca's certificate.
            f.ldevid("good", "SN-3");
            var good = Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", fullPem, "-CAfile", "ldevid-ca-chain.pem", "good.pem");
            assertEquals(0, good.exit(), good.all());
            String both = concat(f, fullPem, root.fileName() + "." + root.number() + ".pem");
            var all = Tools.openssl(dir, "verify", "-crl_check_all", "-CRLfile", both, "-CAfile", "ldevid-ca-chain.pem", "good.pem");
            assertEquals(0, all.exit(), all.all());
        }
    }

    private Tools.Result verify(String crl, String cert) {
        return Tools.openssl(dir, "verify", "-crl_check", "-CRLfile", crl, "-CAfile", "ldevid-ca-chain.pem", cert);
    }

    private static void assertRevoked(Tools.Result r) {
        assertNotEquals(0, r.exit(), r.all());
        assertTrue(r.all().contains("certificate revoked"), r.all());
    }

    private static List<String> uris(IssuingDistributionPoint idp) {
        return Arrays.stream(GeneralNames.getInstance(idp.getDistributionPoint().getName()).getNames())
                .filter(n -> n.getTagNo() == GeneralName.uniformResourceIdentifier)
                .map(n -> ((ASN1String) n.getName()).getString()).toList();
    }

    private static String concat(Fixture f, String a, String b) throws Exception {
        String name = "both-" + a;
        f.write(name, Files.readString(f.dir.resolve(a)) + Files.readString(f.dir.resolve(b)));
        return name;
    }
}
