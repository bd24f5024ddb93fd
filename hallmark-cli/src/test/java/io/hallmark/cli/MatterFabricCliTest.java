package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.matter.MatterOids;
import io.hallmark.testing.Peers;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hallmark matter fabric create} and {@code matter noc}: RCAC → ICAC → NOC and RCAC → NOC chains that
 * {@code openssl verify -x509_strict} accepts, with the subject the commissioner gives (not the CSR's), and each refusal
 * the issue names with its reason, nothing stored.
 */
class MatterFabricCliTest {

    @TempDir
    Path dir;
    Path data;
    Path csr;

    @BeforeEach
    void init() throws Exception {
        data = dir.resolve("data");
        Cli.ok(data, "init", "--base-url", "http://pki.example.com:8080");
        Cli.ok(data, "matter", "fabric", "create", "--name", "home", "--fabric-id", "FAB000000000001D", "--icac");
        Cli.ok(data, "matter", "fabric", "create", "--name", "flat", "--fabric-id", "0x1");
        csr = dir.resolve("node.csr");
        // A Matter node's CSR: its subject means nothing (the SDK writes O=CSR); the NOC's subject is the commissioner's.
        Files.write(csr, Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("O=CSR")));
    }

    @Test
    void nocsChainThroughTheIcacOrStraightToTheRootWithTheNodeFabricAndCats() throws Exception {
        Path noc = dir.resolve("noc.pem");
        Cli.ok(data, "matter", "noc", "--fabric", "home", "--node-id", "0000000000000001", "--cat", "00010001", "--cat", "0x20003",
                "--csr", csr.toString(), "--out", noc.toString());
        verify(noc, "home", "home-icac");
        X509CertificateHolder cert = holder(noc);
        assertEquals(List.of("0000000000000001"), values(cert, MatterOids.NODE_ID));
        assertEquals(List.of("FAB000000000001D"), values(cert, MatterOids.FABRIC_ID));
        assertEquals(List.of("00010001", "00020003"), values(cert, MatterOids.NOC_CAT));
        assertEquals(4, cert.getSubject().getRDNs().length, "the CSR's O=CSR is not in the NOC: " + cert.getSubject());
        Extension eku = cert.getExtension(Extension.extendedKeyUsage);
        assertTrue(eku.isCritical());
        ExtendedKeyUsage purposes = ExtendedKeyUsage.getInstance(eku.getParsedValue());
        assertTrue(purposes.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth) && purposes.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth));
        assertTrue(cert.getExtension(Extension.basicConstraints).isCritical());
        assertNull(cert.getExtension(Extension.cRLDistributionPoints), "NOCs carry no CRL pointer unless the fabric asks for them");
        assertNull(cert.getExtension(Extension.authorityInfoAccess));
        assertEquals(List.of("FAB000000000001D"), values(holder(data.resolve("ca/home-icac.pem")), MatterOids.FABRIC_ID));
        assertEquals(1, values(holder(data.resolve("ca/home.pem")), MatterOids.RCAC_ID).size());
        assertEquals(1, values(holder(data.resolve("ca/home-icac.pem")), MatterOids.ICAC_ID).size());

        Path direct = dir.resolve("direct.pem");
        Cli.ok(data, "matter", "noc", "--fabric", "flat", "--node-id", "FFFFFFEFFFFFFFFF", "--csr", csr.toString(), "--out", direct.toString());
        verify(direct, "flat", null);
        assertEquals(List.of("0000000000000001"), values(holder(direct), MatterOids.FABRIC_ID));
    }

    @Test
    void everyCertificateOfBothChainsRoundTripsThroughTheTlvFormByteForByteAndTheLargestNocFits() throws Exception {
        // The largest NOC the profile allows: the highest operational node id, three CATs, under an ICAC whose name
        // also carries the fabric id. Matter's limits are 600 bytes of DER and 400 of TLV.
        Path largest = dir.resolve("largest.pem");
        Cli.ok(data, "matter", "noc", "--fabric", "home", "--node-id", "FFFFFFEFFFFFFFFF", "--cat", "FFFF0001", "--cat", "FFFE0002",
                "--cat", "FFFD0003", "--csr", csr.toString(), "--out", largest.toString());
        Path direct = dir.resolve("direct.pem");
        Cli.ok(data, "matter", "noc", "--fabric", "flat", "--node-id", "1", "--csr", csr.toString(), "--out", direct.toString());
        for (Path pem : List.of(largest, direct, data.resolve("ca/home.pem"), data.resolve("ca/home-icac.pem"), data.resolve("ca/flat.pem"))) {
            byte[] der = holder(pem).getEncoded();
            byte[] tlv = io.hallmark.core.matter.tlv.MatterTlvCertificates.toTlv(der);
            assertTrue(der.length <= 600 && tlv.length <= 400 && tlv.length < der.length, pem + ": DER " + der.length + ", TLV " + tlv.length);
            assertTrue(Arrays.equals(der, io.hallmark.core.matter.tlv.MatterTlvCertificates.toDer(tlv)), pem + " round-trips byte for byte");
        }
        // --tlv writes the form a commissioner sends; decoded, it is the NOC that openssl verifies.
        Path tlv = dir.resolve("noc.tlv");
        Cli.ok(data, "matter", "noc", "--fabric", "home", "--node-id", "2", "--csr", csr.toString(), "--out", tlv.toString(), "--tlv");
        Path back = dir.resolve("noc-back.pem");
        Cli.ok(data, "matter", "tlv", "decode", "--in", tlv.toString(), "--out", back.toString());
        verify(back, "home", "home-icac");
        assertEquals(List.of("0000000000000002"), values(holder(back), MatterOids.NODE_ID));
    }

    @Test
    void nodeIdsOutsideTheOperationalRangeAndBadCatsAreRefusedWithTheReason() throws Exception {
        int before = certificates();
        String[][] cases = {
                {"node id 0000000000000000 is outside the operational range", "--node-id", "0"},
                {"node id FFFFFFF000000000 is outside the operational range", "--node-id", "FFFFFFF000000000"},
                {"4 CASE Authenticated Tags given; a NOC carries at most 3", "--node-id", "1", "--cat", "10001", "--cat", "20001", "--cat", "30001", "--cat", "40001"},
                {"two CATs with identifier 0001", "--node-id", "1", "--cat", "00010001", "--cat", "00010002"},
                {"CAT 00010000 has version 0", "--node-id", "1", "--cat", "00010000"},
        };
        Path out = dir.resolve("refused.pem");
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("matter", "noc", "--fabric", "home", "--csr", csr.toString(), "--out", out.toString()));
            args.addAll(Arrays.asList(c).subList(1, c.length));
            Cli.Run r = Cli.run(data, args.toArray(String[]::new));
            assertEquals(ExitCodes.BAD_INPUT, r.exit(), r::toString);
            assertTrue(r.err().contains(c[0]), c[0] + "\n" + r);
        }
        Cli.Run zeroFabric = Cli.run(data, "matter", "fabric", "create", "--name", "zero", "--fabric-id", "0");
        assertEquals(ExitCodes.BAD_INPUT, zeroFabric.exit(), zeroFabric::toString);
        assertTrue(zeroFabric.err().contains("fabric id 0 is reserved"), zeroFabric::toString);
        Path p384 = dir.resolve("p384.csr");
        Files.write(p384, Csrs.create(KeyAlgorithm.EC_P384.generate(), KeyAlgorithm.EC_P384, new X500Name("O=CSR")));
        Cli.Run big = Cli.run(data, "matter", "noc", "--fabric", "home", "--node-id", "1", "--csr", p384.toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, big.exit(), big::toString);
        assertEquals(before, certificates(), "nothing was stored");
        assertFalse(Files.exists(out));
    }

    private int certificates() {
        return Cli.ok(data, "cert", "list", "--json").out().split("\"serial\"", -1).length - 1;
    }

    private void verify(Path leaf, String root, String intermediate) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Peers.tool("openssl").toString(), "verify", "-x509_strict", "-CAfile",
                data.resolve("ca/" + root + ".pem").toString()));
        if (intermediate != null) cmd.addAll(List.of("-untrusted", data.resolve("ca/" + intermediate + ".pem").toString()));
        cmd.add(leaf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
    }

    private static X509CertificateHolder holder(Path pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(pem)))) {
            return (X509CertificateHolder) parser.readObject();
        }
    }

    private static List<String> values(X509CertificateHolder cert, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        return Arrays.stream(cert.getSubject().getRDNs(type)).map(r -> ((ASN1String) r.getFirst().getValue()).getString()).toList();
    }
}
