package io.hallmark.core.matter.attestation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules the vectors do not reach on their own: the clock, a broken signature, the expected VID, the legacy CN scanner. */
class AttestationVerifierRulesTest {

    private static final Path BASELINE = MatterVectors.cases().resolve("struct_dac_cert_version_v3");

    private static AttestationResult verify(byte[] dac, byte[] pai, ExpectedIds expected, Instant now) {
        return new AttestationVerifier(PaaStore.load(MatterVectors.paaDir())).verify(dac, pai, expected, now);
    }

    private static byte[] read(String file) throws IOException {
        return Files.readAllBytes(BASELINE.resolve(file));
    }

    @Test
    void aDacNotYetValidNowIsExpiredButTheChainAloneIsValid() throws IOException {
        Instant beforeIssue = Instant.parse("2022-01-01T00:00:00Z");
        AttestationResult.Refused r = assertInstanceOf(AttestationResult.Refused.class,
                verify(read("dac-Cert.der"), read("pai-Cert.der"), ExpectedIds.NONE, beforeIssue));
        assertEquals(AttestationReason.DAC_EXPIRED, r.reason());
        assertTrue(r.message().contains("is not valid now"), r.message());
        assertTrue(verify(read("dac-Cert.der"), read("pai-Cert.der"), ExpectedIds.NONE, null).valid());
    }

    @Test
    void aDacWhoseSignatureWasAlteredIsRefusedForItsSignature() throws IOException {
        byte[] dac = read("dac-Cert.der");
        dac[dac.length - 5] ^= 0x01; // inside the signature's s value: still well-formed DER
        AttestationResult.Refused r = assertInstanceOf(AttestationResult.Refused.class, verify(dac, read("pai-Cert.der"), ExpectedIds.NONE, null));
        assertEquals(AttestationReason.DAC_SIGNATURE_INVALID, r.reason(), r.message());
    }

    @Test
    void theDevicesOwnVendorIdMustBeTheDacs() throws IOException {
        AttestationResult.Refused r = assertInstanceOf(AttestationResult.Refused.class,
                verify(read("dac-Cert.der"), read("pai-Cert.der"), new ExpectedIds(0xFFF2, 0x8000), null));
        assertEquals(AttestationReason.DAC_VENDOR_ID_MISMATCH, r.reason());
        assertTrue(r.message().contains("(Basic Information)"), r.message());
    }

    @Test
    void dacAndPaiSwappedAreRefusedAsAPaiOfTheWrongFormat() throws IOException {
        AttestationResult.Refused r = assertInstanceOf(AttestationResult.Refused.class,
                verify(read("pai-Cert.der"), read("dac-Cert.der"), ExpectedIds.NONE, null));
        assertEquals(AttestationReason.PAI_FORMAT_INVALID, r.reason(), r.message());
    }

    @Test
    void garbageIsAFormatRefusalNotAnException() throws IOException {
        AttestationResult.Refused r = assertInstanceOf(AttestationResult.Refused.class,
                verify("hello".getBytes(), read("pai-Cert.der"), ExpectedIds.NONE, null));
        assertEquals(AttestationReason.DAC_FORMAT_INVALID, r.reason());
    }

    @Test
    void invalidPaaIsRefusedOnlyBecauseItsPaaIsNotInTheStore() throws IOException {
        Path dir = MatterVectors.cases().resolve("invalid_paa");
        byte[] dac = Files.readAllBytes(dir.resolve("dac-Cert.der")), pai = Files.readAllBytes(dir.resolve("pai-Cert.der"));
        PaaStore withItsPaa = PaaStore.of(java.util.List.of(Files.readAllBytes(dir.resolve("paa-Cert.pem"))));
        AttestationVerifier verifier = new AttestationVerifier(withItsPaa);
        assertTrue(verifier.verify(dac, pai, new ExpectedIds(0xFFF1, 0x8000), null).valid(), "a sound chain once its PAA is trusted");
        AttestationResult.Refused now = assertInstanceOf(AttestationResult.Refused.class,
                verifier.verify(dac, pai, ExpectedIds.NONE, Instant.parse("2026-06-01T00:00:00Z")));
        assertEquals(AttestationReason.DAC_EXPIRED, now.reason(), "its DAC ended on 2022-06-28");
    }

    @Test
    void theLegacyCommonNameFormFollowsTheSpecificationsExamples() throws Exception {
        VidPid v = VidPidReader.fromCommonName("ACME Matter Devel DAC 5CDA9899 Mvid:FFF1 Mpid:00B1");
        assertEquals(0xFFF1, v.vendorId());
        assertEquals(0x00B1, v.productId());
        assertEquals(0xFFF1, VidPidReader.fromCommonName("Mpid:00B1,ACME,Mvid:FFF1").vendorId());
        assertEquals(0x00B1, VidPidReader.fromCommonName("Mvid:FFF1ACME Matter Devel DAC 5CDAMpid:00B19899").productId());
        // a prefix followed by something else is skipped when a later occurrence has four digits
        assertEquals(0xFFF1, VidPidReader.fromCommonName("MpidMvid:FFF10 Matter Test Mpid:00B1").vendorId());
        assertNull(VidPidReader.fromCommonName("Matter Devel PAI Mpid_00B1 MVID:FFF1").vendorId());
        for (String bad : new String[]{"Mvid:FF1 Mpid:00B1", "Mvid:fff1", "Mvid:FFF1 Mpid:B1", "Mpid: Mvid:FFF1"}) {
            assertThrows(VidPidReader.Malformed.class, () -> VidPidReader.fromCommonName(bad), bad);
        }
        // only the first 64 bytes of a CN are read
        assertNull(VidPidReader.fromCommonName("x".repeat(60) + "Mvid:FFF1").vendorId());
    }
}
