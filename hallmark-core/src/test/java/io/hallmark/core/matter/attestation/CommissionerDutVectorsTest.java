package io.hallmark.core.matter.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.hallmark.core.matter.attestation.AttestationReason.DAC_FORMAT_INVALID;
import static io.hallmark.core.matter.attestation.AttestationReason.DAC_PRODUCT_ID_MISMATCH;
import static io.hallmark.core.matter.attestation.AttestationReason.DAC_VENDOR_ID_MISMATCH;
import static io.hallmark.core.matter.attestation.AttestationReason.PAA_NOT_FOUND;
import static io.hallmark.core.matter.attestation.AttestationReason.PAI_EXPIRED;
import static io.hallmark.core.matter.attestation.AttestationReason.PAI_FORMAT_INVALID;
import static io.hallmark.core.matter.attestation.AttestationReason.PAI_VENDOR_ID_MISMATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of the Matter SDK's commissioner DUT vectors ({@code credentials/development/commissioner_dut}) gets the
 * verdict of its {@code is_success_case}, and a refusal the reason this table expects from the case's description (its
 * code, and a phrase of the sentence naming the rule), so a refusal for another reason fails. The PAA store is the
 * SDK's test PAAs; invalid_paa's own PAA is not in it, which is the point of that case. The device's Basic
 * Information VID is 0xFFF1 and its PID the one the SDK's own test passes (0x00B1 for the fallback-encoding cases,
 * 0x8000 otherwise).
 */
class CommissionerDutVectorsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    record Expect(AttestationReason reason, String phrase) {
    }

    private static Expect dac(String phrase) {
        return new Expect(DAC_FORMAT_INVALID, phrase);
    }

    private static Expect pai(String phrase) {
        return new Expect(PAI_FORMAT_INVALID, phrase);
    }

    private static final String BAD_CN = "without exactly four upper-case hex digits";

    /** Invalid cases and why; every other case must be valid (and its JSON must say so). */
    private static final Map<String, Expect> REFUSED = Map.ofEntries(
            Map.entry("invalid_paa", new Expect(PAA_NOT_FOUND, "no PAA in the store")),
            Map.entry("struct_dac_cert_version_v2", dac("version must be v3")),
            Map.entry("struct_dac_ext_akid_missing", dac("authorityKeyIdentifier extension is required")),
            Map.entry("struct_dac_ext_basic_ca_missing", dac("must carry no pathLenConstraint")),
            Map.entry("struct_dac_ext_basic_ca_wrong", dac("cA must be FALSE")),
            Map.entry("struct_dac_ext_basic_critical_missing", dac("basicConstraints must be critical")),
            Map.entry("struct_dac_ext_basic_missing", dac("basicConstraints extension is required")),
            Map.entry("struct_dac_ext_basic_pathlen0", dac("must carry no pathLenConstraint")),
            Map.entry("struct_dac_ext_basic_pathlen2", dac("must carry no pathLenConstraint")),
            Map.entry("struct_dac_ext_basic_pathlen_presence_wrong", dac("must carry no pathLenConstraint")),
            Map.entry("struct_dac_ext_key_usage_critical_missing", dac("keyUsage must be critical")),
            Map.entry("struct_dac_ext_key_usage_critical_wrong", dac("keyUsage must be critical")),
            Map.entry("struct_dac_ext_key_usage_dig_sig_wrong", dac("keyUsage must be digitalSignature only")),
            Map.entry("struct_dac_ext_key_usage_key_cert_sign_wrong", dac("keyUsage must be digitalSignature only")),
            Map.entry("struct_dac_ext_key_usage_missing", dac("keyUsage extension is required")),
            Map.entry("struct_dac_ext_skid_missing", dac("subjectKeyIdentifier extension is required")),
            Map.entry("struct_dac_fuzzed_akid_malformed", dac("not a well-formed X.509 certificate")),
            Map.entry("struct_dac_sig_algo_ecdsa_with_sha1", dac("must be ecdsa-with-SHA256")),
            Map.entry("struct_dac_sig_curve_secp256k1", dac("must be on prime256v1")),
            Map.entry("struct_dac_subject_vid_mismatch", new Expect(DAC_VENDOR_ID_MISMATCH, "is not its PAI's Vendor ID")),
            Map.entry("struct_dac_valid_in_past", new Expect(PAI_EXPIRED, "outside its PAI's validity")),
            Map.entry("struct_dac_vidpid_fallback_encoding_06", dac(BAD_CN)),
            Map.entry("struct_dac_vidpid_fallback_encoding_07", dac(BAD_CN)),
            Map.entry("struct_dac_vidpid_fallback_encoding_08", dac(BAD_CN)),
            Map.entry("struct_dac_vidpid_fallback_encoding_09", dac(BAD_CN)),
            Map.entry("struct_dac_vidpid_fallback_encoding_10", dac(BAD_CN)),
            Map.entry("struct_dac_vidpid_fallback_encoding_12", dac(BAD_CN)),
            Map.entry("struct_dac_vidpid_fallback_encoding_14", dac("has no Vendor ID (neither")),
            Map.entry("struct_dac_vidpid_fallback_encoding_16", new Expect(DAC_VENDOR_ID_MISMATCH, "is not its PAI's Vendor ID 0xFFF1")),
            Map.entry("struct_dac_vidpid_fallback_encoding_17", dac("has no Vendor ID attribute")),
            Map.entry("struct_pai_ext_basic_ca_wrong", pai("cA must be TRUE in a PAI")),
            Map.entry("struct_pai_ext_basic_critical_missing", pai("basicConstraints must be critical")),
            Map.entry("struct_pai_ext_basic_critical_wrong", pai("basicConstraints must be critical")),
            Map.entry("struct_pai_ext_basic_missing", pai("basicConstraints extension is required")),
            Map.entry("struct_pai_ext_basic_pathlen1", pai("pathLenConstraint must be 0 in a PAI, is 1")),
            Map.entry("struct_pai_ext_basic_pathlen2", pai("pathLenConstraint must be 0 in a PAI, is 2")),
            Map.entry("struct_pai_ext_basic_pathlen_presence_wrong", pai("pathLenConstraint must be 0 in a PAI, is absent")),
            Map.entry("struct_pai_ext_key_usage_critical_wrong", pai("keyUsage must be critical")),
            Map.entry("struct_pai_ext_key_usage_crl_sign_wrong", pai("keyUsage must be keyCertSign and cRLSign")),
            Map.entry("struct_pai_ext_key_usage_key_cert_sign_wrong", pai("keyUsage must be keyCertSign and cRLSign")),
            Map.entry("struct_pai_ext_key_usage_missing", pai("keyUsage extension is required")),
            Map.entry("struct_pai_ext_skid_missing", pai("subjectKeyIdentifier extension is required")),
            Map.entry("struct_pai_fuzzed_akid_malformed", pai("not a well-formed X.509 certificate")),
            Map.entry("struct_pai_fuzzed_skid_malformed", pai("not a well-formed X.509 certificate")),
            Map.entry("struct_pai_sig_algo_ecdsa_with_sha1", pai("must be ecdsa-with-SHA256")),
            Map.entry("struct_pai_subject_pid_mismatch", new Expect(DAC_PRODUCT_ID_MISMATCH, "is not the device's Product ID 0x8000")),
            Map.entry("struct_pai_subject_vid_mismatch", new Expect(PAI_VENDOR_ID_MISMATCH, "is not its PAA's Vendor ID 0xFFF1")),
            Map.entry("struct_pai_valid_in_future", new Expect(PAI_EXPIRED, "outside its PAI's validity")),
            Map.entry("struct_pai_vidpid_fallback_encoding_06", pai(BAD_CN)),
            Map.entry("struct_pai_vidpid_fallback_encoding_07", pai(BAD_CN)),
            Map.entry("struct_pai_vidpid_fallback_encoding_08", pai(BAD_CN)),
            Map.entry("struct_pai_vidpid_fallback_encoding_10", pai(BAD_CN)),
            Map.entry("struct_pai_vidpid_fallback_encoding_12", pai(BAD_CN)),
            Map.entry("struct_pai_vidpid_fallback_encoding_13", pai("has no Vendor ID (neither")),
            Map.entry("struct_pai_vidpid_fallback_encoding_14", pai("has no Vendor ID (neither")),
            Map.entry("struct_pai_vidpid_fallback_encoding_17", pai("has no Vendor ID attribute")));

    @Test
    void everyCaseGetsItsVerdictForTheExpectedReason() throws IOException {
        AttestationVerifier verifier = new AttestationVerifier(PaaStore.load(MatterVectors.paaDir()));
        List<Path> cases;
        try (Stream<Path> s = Files.list(MatterVectors.cases())) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(78, cases.size(), "the 78 cases of the vector index");
        List<String> wrong = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        int valid = 0;
        for (Path dir : cases) {
            String name = dir.getFileName().toString();
            seen.add(name);
            JsonNode json = new ObjectMapper().readTree(dir.resolve("test_case_vector.json").toFile());
            boolean success = Boolean.parseBoolean(json.get("is_success_case").asText());
            int pid = name.contains("vidpid_fallback") ? 0x00B1 : 0x8000;
            if (json.has("basic_info_pid")) {
                assertEquals(json.get("basic_info_pid").asInt(), pid, name + ": the index's PID agrees with the JSON's");
            }
            AttestationResult result = verifier.verify(Files.readAllBytes(dir.resolve("dac-Cert.der")),
                    Files.readAllBytes(dir.resolve("pai-Cert.der")), new ExpectedIds(0xFFF1, pid), NOW);
            Expect expect = REFUSED.get(name);
            if (success != (expect == null)) {
                wrong.add(name + ": the table and is_success_case disagree");
                continue;
            }
            if (expect == null) {
                valid++;
                if (!(result instanceof AttestationResult.Valid v) || v.vendorId() != 0xFFF1 || v.productId() != pid) {
                    wrong.add(name + ": expected valid (VID 0xFFF1, PID " + VidPid.hex(pid) + "), got " + result);
                }
            } else if (!(result instanceof AttestationResult.Refused r) || r.reason() != expect.reason() || !r.message().contains(expect.phrase())) {
                wrong.add(name + ": expected " + expect.reason().sdkName() + " '" + expect.phrase() + "', got " + result);
            }
        }
        assertEquals(new TreeSet<>(REFUSED.keySet()), new TreeSet<>(seen.stream().filter(REFUSED::containsKey).toList()),
                "every refused case of the table is a folder");
        assertEquals(22, valid, "22 cases are valid");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theStandardTestSetIsValid() throws IOException {
        AttestationVerifier verifier = new AttestationVerifier(PaaStore.load(MatterVectors.paaDir()));
        Path set = MatterVectors.root().resolve("test-set");
        byte[] pai = Files.readAllBytes(set.resolve("Chip-Test-PAI-FFF1-8000-Cert.pem"));
        for (String dac : List.of("Chip-Test-DAC-FFF1-8000-0000-Cert.pem", "Chip-Test-DAC-FFF1-8000-0001-Cert.pem")) {
            AttestationResult result = verifier.verify(Files.readAllBytes(set.resolve(dac)), pai, new ExpectedIds(0xFFF1, 0x8000), NOW);
            AttestationResult.Valid v = assertInstanceOf(AttestationResult.Valid.class, result, dac + ": " + result);
            assertEquals(0xFFF1, v.paaVendorId());
            assertTrue(v.paaSource().startsWith("Chip-Test-PAA-FFF1-Cert."), v.paaSource());
        }
    }
}
