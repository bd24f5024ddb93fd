package io.hallmark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hallmark matter verify-dac} on the Matter SDK's vectors (hallmark-core's test resources): exit codes, the one-line reason, --json. */
class MatterVerifyDacCliTest {

    @TempDir
    Path tmp;
    Path store;

    private Path copy(String resource, Path to) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/matter/attestation/" + resource)) {
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
        }
        return to;
    }

    @BeforeEach
    void paaStore() throws IOException {
        store = tmp.resolve("paa");
        copy("paa/Chip-Test-PAA-FFF1-Cert.pem", store.resolve("Chip-Test-PAA-FFF1-Cert.pem"));
        copy("paa/Chip-Test-PAA-NoVID-Cert.der", store.resolve("Chip-Test-PAA-NoVID-Cert.der"));
        copy("paa/Chip-Test-PAA-FFF1-Key.pem", store.resolve("Chip-Test-PAA-FFF1-Key.pem")); // skipped, not an error
    }

    private Cli.Run verify(String caseDir, String... more) throws IOException {
        Path dac = copy("commissioner_dut/" + caseDir + "/dac-Cert.pem", tmp.resolve(caseDir).resolve("dac.pem"));
        Path pai = copy("commissioner_dut/" + caseDir + "/pai-Cert.der", tmp.resolve(caseDir).resolve("pai.der"));
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[]{"--dac", dac.toString(), "--pai", pai.toString(), "--paa-store", store.toString()}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        String[] all = new String[args.length + 2];
        all[0] = "matter";
        all[1] = "verify-dac";
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(tmp.resolve("no-installation-needed"), all);
    }

    @Test
    void aValidChainExitsZeroAndNamesTheIds() throws IOException {
        Cli.Run r = verify("struct_dac_cert_version_v3", "--vid", "FFF1", "--pid", "0x8000");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("vendor id:  0xFFF1") && r.out().contains("product id: 0x8000"), r.toString());
        assertEquals("", r.err());
        assertTrue(Files.notExists(tmp.resolve("no-installation-needed")), "verify-dac creates no data directory");
    }

    @Test
    void aRefusedChainExits7WithTheReasonOnOneLine() throws IOException {
        Cli.Run r = verify("struct_dac_ext_key_usage_critical_wrong");
        assertEquals(ExitCodes.AUDIT_BROKEN, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("hallmark: kDacFormatInvalid: DAC 'CN=Matter Test DAC") && r.err().contains("keyUsage must be critical"),
                r.toString());
        assertEquals("", r.out());
    }

    @Test
    void theDevicesProductIdIsChecked() throws IOException {
        Cli.Run r = verify("struct_dac_cert_version_v3", "--vid", "FFF1", "--pid", "8001");
        assertEquals(ExitCodes.AUDIT_BROKEN, r.exit(), r.toString());
        assertTrue(r.err().startsWith("hallmark: kDacProductIdMismatch: "), r.toString());
    }

    @Test
    void jsonCarriesTheVerdictTheCodeAndTheSkippedFiles() throws IOException {
        Cli.Run r = verify("invalid_paa", "--json");
        assertEquals(ExitCodes.AUDIT_BROKEN, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(false, json.get("valid").asBoolean());
        assertEquals("kPaaNotFound", json.get("reason").asText());
        assertEquals(101, json.get("code").asInt());
        assertEquals(2, json.get("paaStoreCertificates").asInt());
        assertEquals("Chip-Test-PAA-FFF1-Key.pem", json.get("paaStoreSkipped").get(0).get("file").asText());
        Cli.Run ok = verify("struct_dac_vidpid_fallback_encoding_01", "--json");
        JsonNode valid = new ObjectMapper().readTree(ok.out());
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals("0x00B1", valid.get("productId").asText());
    }

    @Test
    void unreadableInputIsBadInput() throws IOException {
        Cli.Run missing = Cli.run(tmp, "matter", "verify-dac", "--dac", tmp.resolve("none.pem").toString(), "--pai", "x", "--paa-store", store.toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exit(), missing.toString());
        Cli.Run badVid = verify("struct_dac_cert_version_v3", "--vid", "FFFF1");
        assertEquals(ExitCodes.BAD_INPUT, badVid.exit(), badVid.toString());
        assertTrue(badVid.err().contains("--vid takes a 16-bit hex value"), badVid.toString());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path dac = copy("test-set/Chip-Test-DAC-FFF1-8000-0000-Cert.pem", tmp.resolve("d.pem"));
        Cli.Run noPaa = Cli.run(tmp, "matter", "verify-dac", "--dac", dac.toString(), "--pai", dac.toString(), "--paa-store", empty.toString());
        assertEquals(ExitCodes.BAD_INPUT, noPaa.exit(), noPaa.toString());
        assertTrue(noPaa.err().contains("holds no certificate"), noPaa.toString());
    }
}
