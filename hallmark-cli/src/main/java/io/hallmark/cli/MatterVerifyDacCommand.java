package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.matter.attestation.AttestationResult;
import io.hallmark.core.matter.attestation.AttestationVerifier;
import io.hallmark.core.matter.attestation.ExpectedIds;
import io.hallmark.core.matter.attestation.PaaStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Checks a device's attestation chain as a Matter commissioner does: the DAC and PAI it presents against the PAAs
 * of a directory (the CSA's ledger mirrored, or your own PAA). Needs no installation: nothing is read from or
 * written to the data directory.
 */
@Command(name = "verify-dac", sortOptions = false,
        description = {"Check a Matter device attestation chain: DAC -> PAI -> a PAA of the store, per the Matter Core "
                + "Specification's rules (formats of each certificate, Vendor/Product ID consistency including the legacy "
                + "Mvid:/Mpid: common-name form, the chain at the DAC's notBefore, issuance within the issuer's validity, "
                + "signatures, the DAC valid now).",
                "Exit 0 when valid; 7 when refused, with the reason on stderr as one line: the Matter SDK's code "
                        + "(e.g. kDacFormatInvalid, kPaaNotFound) and the certificate and rule; 3 when an input cannot be read."})
final class MatterVerifyDacCommand implements Callable<Integer> {

    private static final int MAX_CERT_FILE = 64 * 1024;

    @Option(names = "--dac", required = true, paramLabel = "FILE", description = "The Device Attestation Certificate, PEM or DER.")
    Path dac;

    @Option(names = "--pai", required = true, paramLabel = "FILE", description = "The Product Attestation Intermediate, PEM or DER.")
    Path pai;

    @Option(names = "--paa-store", required = true, paramLabel = "DIR",
            description = "Directory of trusted PAA certificates (PEM or DER files; other files are skipped).")
    Path paaStore;

    @Option(names = "--vid", paramLabel = "HEX", description = "The device's Vendor ID (Basic Information cluster), e.g. FFF1: the DAC must carry it.")
    String vid;

    @Option(names = "--pid", paramLabel = "HEX", description = "The device's Product ID (Basic Information cluster), e.g. 8000: the DAC must carry it.")
    String pid;

    @Mixin
    Output.JsonOption output;

    /** What --json prints: the verdict, and on refusal the SDK's reason name and number. */
    record Report(boolean valid, String reason, Integer code, String message, String vendorId, String productId, String paaVendorId,
                  String dac, String pai, String paa, String paaFile, int paaStoreCertificates, List<PaaStore.Skipped> paaStoreSkipped) {
    }

    @Override
    public Integer call() {
        ExpectedIds expected = new ExpectedIds(hex16("--vid", vid), hex16("--pid", pid));
        byte[] dacBytes = BoundedFiles.read(dac, MAX_CERT_FILE);
        byte[] paiBytes = BoundedFiles.read(pai, MAX_CERT_FILE);
        PaaStore store = PaaStore.load(paaStore);
        if (store.size() == 0) {
            throw HallmarkException.badInput("the PAA store " + paaStore + " holds no certificate (" + store.skipped().size() + " files skipped)");
        }
        AttestationResult result = new AttestationVerifier(store).verify(dacBytes, paiBytes, expected, Instant.now());
        Report report = switch (result) {
            case AttestationResult.Valid v -> new Report(true, null, null, null, hex(v.vendorId()), hex(v.productId()),
                    v.paaVendorId() == null ? null : hex(v.paaVendorId()), v.dacSubject(), v.paiSubject(), v.paaSubject(), v.paaSource(),
                    store.size(), store.skipped());
            case AttestationResult.Refused r -> new Report(false, r.reason().sdkName(), r.reason().sdkCode(), r.message(), null, null, null,
                    null, null, null, null, store.size(), store.skipped());
        };
        if (output.json) {
            Output.json(report);
        } else if (report.valid()) {
            Output.fields(System.out, "valid", "yes", "vendor id", report.vendorId(), "product id", report.productId(), "dac", report.dac(),
                    "pai", report.pai(), "paa", report.paa(), "paa file", report.paaFile());
        }
        if (result instanceof AttestationResult.Refused r) {
            System.err.println("hallmark: " + r.reason().sdkName() + ": " + Output.safe(r.message()));
            return ExitCodes.AUDIT_BROKEN;
        }
        return 0;
    }

    private static Integer hex16(String option, String value) {
        if (value == null) {
            return null;
        }
        String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
        if (!digits.matches("[0-9A-Fa-f]{1,4}")) {
            throw HallmarkException.badInput(option + " takes a 16-bit hex value such as FFF1, not '" + Output.safe(value) + "'");
        }
        return Integer.parseInt(digits, 16);
    }

    private static String hex(int id) {
        return String.format("0x%04X", id);
    }
}
