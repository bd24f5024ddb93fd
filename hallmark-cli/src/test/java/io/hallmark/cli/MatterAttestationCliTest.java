package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.matter.MatterOids;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hallmark matter paa|pai|dac}: a PAA → PAI → DAC chain per the Matter Core Specification's profiles, checked by
 * {@code openssl verify -x509_strict} and field by field; and every refusal the issue names, with its reason and nothing
 * stored. DACs of a PAI's profile also come out of a factory batch.
 */
class MatterAttestationCliTest {

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void init() {
        data = dir.resolve("data");
        Cli.ok(data, "init", "--base-url", "http://pki.example.com:8080");
        Cli.ok(data, "matter", "paa", "--name", "paa", "--vid", "FFF1");
        Cli.ok(data, "matter", "pai", "--name", "pai-8000", "--paa", "paa", "--vid", "fff1", "--pid", "0x8000");
    }

    @Test
    void aPaaPaiDacChainFollowsTheMatterProfilesAndOpensslStrictAcceptsIt() throws Exception {
        Path dac = dir.resolve("dac.pem");
        Cli.ok(data, "matter", "dac", "--pai", "pai-8000", "--vid", "FFF1", "--pid", "8000", "--serial-number", "SN-0001",
                "--csr", csr(subject("Acme Light", null, null), KeyAlgorithm.EC_P256).toString(), "--out", dac.toString());
        opensslVerify(dac);

        X509CertificateHolder paa = holder(data.resolve("ca/paa.pem"));
        X509CertificateHolder pai = holder(data.resolve("ca/pai-8000.pem"));
        X509CertificateHolder leaf = holder(dac);
        assertEquals(1, BasicConstraints.fromExtensions(paa.getExtensions()).getPathLenConstraint().intValue());
        assertEquals(0, BasicConstraints.fromExtensions(pai.getExtensions()).getPathLenConstraint().intValue());
        assertEquals("FFF1", utf8(paa, MatterOids.VENDOR_ID));
        assertEquals("FFF1", utf8(pai, MatterOids.VENDOR_ID));
        assertEquals("8000", utf8(pai, MatterOids.PRODUCT_ID));
        for (X509CertificateHolder ca : List.of(paa, pai)) {
            assertTrue(ca.getExtension(Extension.basicConstraints).isCritical());
            assertEquals(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), KeyUsage.fromExtensions(ca.getExtensions()));
        }

        // The DAC: the PAI's VID and PID set by the CA (the CSR had neither), critical cA=FALSE, digitalSignature only,
        // 20-byte SKI and AKI, no EKU, P-256 and ecdsa-with-SHA256, within the PAI's validity.
        assertEquals("FFF1", utf8(leaf, MatterOids.VENDOR_ID));
        assertEquals("8000", utf8(leaf, MatterOids.PRODUCT_ID));
        Extension bc = leaf.getExtension(Extension.basicConstraints);
        assertTrue(bc.isCritical());
        assertFalse(BasicConstraints.getInstance(bc.getParsedValue()).isCA());
        assertNull(BasicConstraints.getInstance(bc.getParsedValue()).getPathLenConstraint());
        assertTrue(leaf.getExtension(Extension.keyUsage).isCritical());
        assertEquals(new KeyUsage(KeyUsage.digitalSignature), KeyUsage.fromExtensions(leaf.getExtensions()));
        assertNull(leaf.getExtension(Extension.extendedKeyUsage));
        assertEquals(20, org.bouncycastle.asn1.x509.SubjectKeyIdentifier.fromExtensions(leaf.getExtensions()).getKeyIdentifier().length);
        assertEquals(20, org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.fromExtensions(leaf.getExtensions()).getKeyIdentifierObject().getOctets().length);
        assertEquals("1.2.840.10045.4.3.2", leaf.getSignatureAlgorithm().getAlgorithm().getId());
        assertFalse(leaf.getNotBefore().before(pai.getNotBefore()));
        assertFalse(leaf.getNotAfter().after(pai.getNotAfter()));

        // And a commissioner's check of the chain accepts it, with only the PAA trusted and the ids the device reports.
        Path store = Files.createDirectories(dir.resolve("paa-store"));
        Files.copy(data.resolve("ca/paa.pem"), store.resolve("paa.pem"));
        Cli.ok(data, "matter", "verify-dac", "--dac", dac.toString(), "--pai", data.resolve("ca/pai-8000.pem").toString(),
                "--paa-store", store.toString(), "--vid", "FFF1", "--pid", "8000");
        Cli.Run otherProduct = Cli.run(data, "matter", "verify-dac", "--dac", dac.toString(), "--pai", data.resolve("ca/pai-8000.pem").toString(),
                "--paa-store", store.toString(), "--vid", "FFF1", "--pid", "8001");
        assertEquals(ExitCodes.AUDIT_BROKEN, otherProduct.exit(), otherProduct::toString);
    }

    @Test
    void whatDoesNotFitThePaiIsRefusedWithTheReasonAndNothingIsStored() throws Exception {
        int before = certificates();
        Path out = dir.resolve("refused.pem");

        Cli.Run otherVid = Cli.run(data, "matter", "dac", "--pai", "pai-8000", "--vid", "FFF2", "--pid", "8000", "--serial-number", "SN-1",
                "--csr", csr(subject("x", null, null), KeyAlgorithm.EC_P256).toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, otherVid.exit(), otherVid::toString);
        assertTrue(otherVid.err().contains("Vendor ID FFF2 is not PAI pai-8000's (FFF1)"), otherVid::toString);

        Cli.Run csrVid = Cli.run(data, "matter", "dac", "--pai", "pai-8000", "--vid", "FFF1", "--pid", "8000", "--serial-number", "SN-2",
                "--csr", csr(subject("x", "FFF2", null), KeyAlgorithm.EC_P256).toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, csrVid.exit(), csrVid::toString);
        assertTrue(csrVid.err().contains("differs from the value profile dac-pai-8000 fixes ('FFF1')"), csrVid::toString);

        Cli.Run p384 = Cli.run(data, "matter", "dac", "--pai", "pai-8000", "--vid", "FFF1", "--pid", "8000", "--serial-number", "SN-3",
                "--csr", csr(subject("x", null, null), KeyAlgorithm.EC_P384).toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, p384.exit(), p384::toString);
        assertTrue(p384.err().contains("ec-p384 keys are not allowed by this profile (allowed: ec-p256)"), p384::toString);

        Cli.Run otherPid = Cli.run(data, "matter", "dac", "--pai", "pai-8000", "--vid", "FFF1", "--pid", "8001", "--serial-number", "SN-4",
                "--csr", csr(subject("x", null, null), KeyAlgorithm.EC_P256).toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, otherPid.exit(), otherPid::toString);
        assertTrue(otherPid.err().contains("Product ID 8001 is not PAI pai-8000's (8000)"), otherPid::toString);

        Cli.Run paiVendor = Cli.run(data, "matter", "pai", "--name", "pai-x", "--paa", "paa", "--vid", "FFF2");
        assertEquals(ExitCodes.BAD_INPUT, paiVendor.exit(), paiVendor::toString);
        assertTrue(paiVendor.err().contains("PAA paa carries Vendor ID FFF1, so it cannot certify a PAI of Vendor ID FFF2"), paiVendor::toString);

        Cli.Run zero = Cli.run(data, "matter", "paa", "--name", "paa-0", "--vid", "0");
        assertEquals(ExitCodes.BAD_INPUT, zero.exit(), zero::toString);

        assertEquals(before, certificates(), "nothing was stored");
        assertFalse(Files.exists(out));
        assertEquals(ExitCodes.NOT_FOUND, Cli.run(data, "ca", "show", "pai-x").exit());
    }

    @Test
    void aPaiWithoutProductIdTakesTheCsrsInItsExactForm() throws Exception {
        Cli.ok(data, "matter", "pai", "--name", "pai-any", "--paa", "paa", "--vid", "FFF1");
        Path out = dir.resolve("any.pem");
        Cli.Run missing = Cli.run(data, "matter", "dac", "--pai", "pai-any", "--vid", "FFF1", "--pid", "8001", "--serial-number", "SN-5",
                "--csr", csr(subject("x", null, null), KeyAlgorithm.EC_P256).toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("must carry Product ID 8001"), missing::toString);

        Cli.Run lower = Cli.run(data, "matter", "dac", "--pai", "pai-any", "--vid", "FFF1", "--pid", "800A", "--serial-number", "SN-6",
                "--csr", csr(subject("x", null, "800a"), KeyAlgorithm.EC_P256).toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, lower.exit(), lower::toString);
        assertTrue(lower.err().contains("is not of the form profile dac-pai-any requires (pattern [0-9A-F]{4})"), lower::toString);

        Cli.ok(data, "matter", "dac", "--pai", "pai-any", "--vid", "FFF1", "--pid", "8001", "--serial-number", "SN-7",
                "--csr", csr(subject("x", null, "8001"), KeyAlgorithm.EC_P256).toString(), "--out", out.toString());
        assertEquals("8001", utf8(holder(out), MatterOids.PRODUCT_ID));
        assertEquals("FFF1", utf8(holder(out), MatterOids.VENDOR_ID));
        opensslVerify(out, "pai-any");
    }

    @Test
    void aFactoryBatchOnThePaisProfileMakesDacs() throws Exception {
        Path out = dir.resolve("batch");
        Cli.ok(data, "factory", "run", "--simulate", "20", "--prefix", "DAC-", "--ca", "pai-8000", "--profile", "dac-pai-8000",
                "--bundles", "files", "--out", out.toString());
        var rows = FactoryCliTest.manifest(out);
        assertEquals(20, rows.values().stream().filter(r -> r.get(1).equals("issued")).count(), rows::toString);
        Path one = out.resolve(rows.get("DAC-00000007").get(6));
        X509CertificateHolder dac = holder(one);
        assertEquals("FFF1", utf8(dac, MatterOids.VENDOR_ID));
        assertEquals("8000", utf8(dac, MatterOids.PRODUCT_ID));
        opensslVerify(one);
    }

    private int certificates() {
        String json = Cli.ok(data, "cert", "list", "--json").out();
        return json.split("\"serial\"", -1).length - 1;
    }

    private void opensslVerify(Path leaf) throws Exception {
        opensslVerify(leaf, "pai-8000");
    }

    private void opensslVerify(Path leaf, String pai) throws Exception {
        Process p = new ProcessBuilder(Peers.tool("openssl").toString(), "verify", "-x509_strict", "-CAfile", data.resolve("ca/paa.pem").toString(),
                "-untrusted", data.resolve("ca/" + pai + ".pem").toString(), leaf.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains(": OK"), output);
    }

    private static X500Name subject(String cn, String vid, String pid) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn);
        if (vid != null) b.addRDN(MatterOids.VENDOR_ID, new DERUTF8String(vid));
        if (pid != null) b.addRDN(MatterOids.PRODUCT_ID, new DERUTF8String(pid));
        return b.build();
    }

    private Path csr(X500Name subject, KeyAlgorithm algorithm) throws Exception {
        Path file = Files.createTempFile(dir, "dev", ".csr");
        Files.write(file, Csrs.create(algorithm.generate(), algorithm, subject));
        return file;
    }

    private static X509CertificateHolder holder(Path pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(pem)))) {
            return (X509CertificateHolder) parser.readObject();
        }
    }

    private static String utf8(X509CertificateHolder cert, ASN1ObjectIdentifier type) {
        var rdns = cert.getSubject().getRDNs(type);
        assertEquals(1, rdns.length, type + " in " + cert.getSubject());
        var value = rdns[0].getFirst().getValue();
        assertTrue(value instanceof DERUTF8String, type + " must be a UTF8String (Matter Core Specification 6.1.1)");
        return ((DERUTF8String) value).getString();
    }
}
