package io.hallmark.core.matter.attestation;

import io.hallmark.core.text.SafeText;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Device attestation chain validation (Matter Core Specification §6.2.3; the SDK's {@code DefaultDACVerifier}
 * up to the certification declaration, which is not a certificate): DAC → PAI → a PAA of the store.
 *
 * <p>The rules, in the order they are applied, each with the refusal it gives:
 * <ol>
 *   <li>PAI, then DAC, parse and have their kind's format ({@link AttestationFormat}): {@code kPaiFormatInvalid},
 *   {@code kDacFormatInvalid}.</li>
 *   <li>Their Vendor and Product IDs ({@link VidPidReader}: attributes, else the legacy CN form) are well formed and
 *   present where required (PAI: VID; DAC: VID and PID): the same format codes.</li>
 *   <li>The DAC's VID equals the PAI's ({@code kDacVendorIdMismatch}); if the PAI has a PID, the DAC's equals it
 *   ({@code kDacProductIdMismatch}).</li>
 *   <li>The DAC names the PAI as its issuer, by name and key identifier ({@code kDacAuthorityNotFound}).</li>
 *   <li>The store holds a PAA with the PAI's issuer as subject and the PAI's authority key identifier as subject key
 *   identifier ({@code kPaaNotFound}); it has the PAA format and no PID ({@code kPaaFormatInvalid}); its VID, if
 *   any, equals the PAI's ({@code kPaiVendorIdMismatch}).</li>
 *   <li>Each certificate was issued within its issuer's validity, which is what validating the chain at the DAC's
 *   notBefore requires: the PAI's and the DAC's notBefore within the PAA's validity ({@code kPaaExpired}), the DAC's
 *   within the PAI's ({@code kPaiExpired}).</li>
 *   <li>Signatures: the PAI's by the PAA's key ({@code kPaiSignatureInvalid}), the DAC's by the PAI's
 *   ({@code kDacSignatureInvalid}).</li>
 *   <li>If a current time is given, the DAC is valid at it ({@code kDacExpired}); a DAC's notAfter may be
 *   99991231235959Z.</li>
 *   <li>If the device's own VID/PID are given (Basic Information cluster), the DAC carries them
 *   ({@code kDacVendorIdMismatch}, {@code kDacProductIdMismatch}).</li>
 * </ol>
 * Structural rules come before the clock, so a verdict on a chain does not change with the day it is asked,
 * except for the DAC's own expiry.
 */
public final class AttestationVerifier {

    private final PaaStore store;

    public AttestationVerifier(PaaStore store) {
        this.store = store;
    }

    /**
     * Verifies a DAC and its PAI (PEM or DER each).
     *
     * @param expected the device's Basic Information VID/PID, {@link ExpectedIds#NONE} to skip that rule
     * @param now      the current time for the DAC's expiry, or null to judge the chain alone
     */
    public AttestationResult verify(byte[] dacInput, byte[] paiInput, ExpectedIds expected, Instant now) {
        AttestationCertificate pai, dac;
        try {
            pai = AttestationCertificate.parse(CertificateKind.PAI, paiInput);
        } catch (AttestationCertificate.Unreadable e) {
            return refuse(AttestationReason.PAI_FORMAT_INVALID, "PAI: " + e.getMessage());
        }
        try {
            dac = AttestationCertificate.parse(CertificateKind.DAC, dacInput);
        } catch (AttestationCertificate.Unreadable e) {
            return refuse(AttestationReason.DAC_FORMAT_INVALID, "DAC: " + e.getMessage());
        }
        for (AttestationCertificate c : new AttestationCertificate[]{pai, dac}) {
            Optional<String> broken = AttestationFormat.violation(c);
            if (broken.isPresent()) {
                return refuse(AttestationReason.formatInvalid(c.kind()), broken.get());
            }
        }
        VidPid paiIds, dacIds;
        try {
            paiIds = VidPidReader.read(pai.subject());
        } catch (VidPidReader.Malformed e) {
            return refuse(AttestationReason.PAI_FORMAT_INVALID, pai.describe() + ": " + e.getMessage());
        }
        try {
            dacIds = VidPidReader.read(dac.subject());
        } catch (VidPidReader.Malformed e) {
            return refuse(AttestationReason.DAC_FORMAT_INVALID, dac.describe() + ": " + e.getMessage());
        }
        if (paiIds.vendorId() == null) {
            return refuse(AttestationReason.PAI_FORMAT_INVALID, pai.describe() + ": " + missing("Vendor ID", paiIds));
        }
        if (dacIds.vendorId() == null || dacIds.productId() == null) {
            return refuse(AttestationReason.DAC_FORMAT_INVALID, dac.describe() + ": "
                    + missing(dacIds.vendorId() == null ? "Vendor ID" : "Product ID", dacIds));
        }
        if (!dacIds.vendorId().equals(paiIds.vendorId())) {
            return refuse(AttestationReason.DAC_VENDOR_ID_MISMATCH, dac.describe() + ": its " + dacIds.vendorText()
                    + " is not its PAI's " + paiIds.vendorText() + "; a DAC carries its PAI's Vendor ID");
        }
        if (paiIds.productId() != null && !dacIds.productId().equals(paiIds.productId())) {
            return refuse(AttestationReason.DAC_PRODUCT_ID_MISMATCH, dac.describe() + ": its " + dacIds.productText()
                    + " is not its PAI's " + paiIds.productText() + "; a PAI with a Product ID issues DACs of that product only");
        }
        if (!dac.issuer().equals(pai.subject()) || !Arrays.equals(dac.authorityKeyId().orElseThrow(), pai.subjectKeyId().orElseThrow())) {
            return refuse(AttestationReason.DAC_AUTHORITY_NOT_FOUND, dac.describe() + " was not issued by " + pai.describe()
                    + ": its issuer name or authority key identifier names another CA");
        }
        byte[] paiAki = pai.authorityKeyId().orElseThrow();
        Optional<PaaStore.Entry> found = store.find(pai.issuer(), paiAki);
        if (found.isEmpty()) {
            return refuse(AttestationReason.PAA_NOT_FOUND, "no PAA in the store (" + store.size() + " certificates) has the subject '"
                    + SafeText.escape(pai.issuer().toString()) + "' and key identifier " + hex(paiAki) + " that " + pai.describe()
                    + " names as its issuer");
        }
        AttestationCertificate paa = found.get().certificate();
        Optional<String> paaBroken = AttestationFormat.violation(paa);
        if (paaBroken.isPresent()) {
            return refuse(AttestationReason.PAA_FORMAT_INVALID, paaBroken.get() + " (" + found.get().source() + ")");
        }
        VidPid paaIds;
        try {
            paaIds = VidPidReader.read(paa.subject());
        } catch (VidPidReader.Malformed e) {
            return refuse(AttestationReason.PAA_FORMAT_INVALID, paa.describe() + ": " + e.getMessage());
        }
        if (paaIds.productId() != null) {
            return refuse(AttestationReason.PAA_FORMAT_INVALID, paa.describe() + ": a PAA carries no Product ID, has "
                    + VidPid.hex(paaIds.productId()));
        }
        if (paaIds.vendorId() != null && !paaIds.vendorId().equals(paiIds.vendorId())) {
            return refuse(AttestationReason.PAI_VENDOR_ID_MISMATCH, pai.describe() + ": its " + paiIds.vendorText()
                    + " is not its PAA's " + paaIds.vendorText() + "; a PAA with a Vendor ID issues PAIs of that vendor only");
        }
        if (!within(pai.notBefore(), paa)) {
            return refuse(AttestationReason.PAA_EXPIRED, pai.describe() + " was issued (notBefore " + pai.notBefore()
                    + ") outside its PAA's validity " + validity(paa));
        }
        if (!within(dac.notBefore(), pai)) {
            return refuse(AttestationReason.PAI_EXPIRED, dac.describe() + " was issued (notBefore " + dac.notBefore()
                    + ") outside its PAI's validity " + validity(pai) + "; the chain is validated at the DAC's notBefore");
        }
        if (!within(dac.notBefore(), paa)) {
            return refuse(AttestationReason.PAA_EXPIRED, dac.describe() + " was issued (notBefore " + dac.notBefore()
                    + ") outside its PAA's validity " + validity(paa) + "; the chain is validated at the DAC's notBefore");
        }
        if (!AttestationFormat.signedBy(pai, paa.x509().getSubjectPublicKeyInfo())) {
            return refuse(AttestationReason.PAI_SIGNATURE_INVALID, pai.describe() + ": its signature does not verify with the key of "
                    + paa.describe());
        }
        if (!AttestationFormat.signedBy(dac, pai.x509().getSubjectPublicKeyInfo())) {
            return refuse(AttestationReason.DAC_SIGNATURE_INVALID, dac.describe() + ": its signature does not verify with the key of "
                    + pai.describe());
        }
        if (now != null && (now.isBefore(dac.notBefore()) || now.isAfter(dac.notAfter()))) {
            return refuse(AttestationReason.DAC_EXPIRED, dac.describe() + " is not valid now (" + now + "): its validity is "
                    + validity(dac));
        }
        if (expected.vendorId() != null && !expected.vendorId().equals(dacIds.vendorId())) {
            return refuse(AttestationReason.DAC_VENDOR_ID_MISMATCH, dac.describe() + ": its " + dacIds.vendorText()
                    + " is not the device's Vendor ID " + VidPid.hex(expected.vendorId()) + " (Basic Information)");
        }
        if (expected.productId() != null && !expected.productId().equals(dacIds.productId())) {
            return refuse(AttestationReason.DAC_PRODUCT_ID_MISMATCH, dac.describe() + ": its " + dacIds.productText()
                    + " is not the device's Product ID " + VidPid.hex(expected.productId()) + " (Basic Information)");
        }
        return new AttestationResult.Valid(dacIds.vendorId(), dacIds.productId(), paaIds.vendorId(), dac.subject().toString(),
                pai.subject().toString(), paa.subject().toString(), found.get().source());
    }

    private static String missing(String what, VidPid ids) {
        if (ids.any() && !ids.fromCommonName()) {
            return "has no " + what + " attribute; with a Vendor or Product ID attribute present, the Mvid:/Mpid: form in the CN is"
                    + " not read, so both ids must be attributes";
        }
        return "has no " + what + " (neither the Matter attribute " + (what.startsWith("Vendor") ? "1.3.6.1.4.1.37244.2.1" : "1.3.6.1.4.1.37244.2.2")
                + " nor " + (what.startsWith("Vendor") ? "Mvid:" : "Mpid:") + " with four upper-case hex digits in the CN)";
    }

    private static boolean within(Instant t, AttestationCertificate issuer) {
        return !t.isBefore(issuer.notBefore()) && !t.isAfter(issuer.notAfter());
    }

    private static String validity(AttestationCertificate c) {
        return c.notBefore() + " .. " + c.notAfter();
    }

    private static String hex(byte[] keyId) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(keyId);
    }

    private static AttestationResult refuse(AttestationReason reason, String message) {
        return new AttestationResult.Refused(reason, message);
    }
}
