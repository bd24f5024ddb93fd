package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.revoke.Revoker;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "revoke", description = {"Record revocations (RFC 5280 reason codes): one certificate, a whole device, or a batch.",
        "  hallmark revoke SERIAL --reason R",
        "  hallmark revoke --device ID --reason R",
        "      all the device's current certificates; the device is blocked",
        "  hallmark revoke --batch FILE --reason R",
        "      one serial per line ('#' comments); all or nothing",
        "Revoking a device's IDevID also blocks the device from enrolling again; with keyCompromise it also",
        "revokes the device's other current certificates (its LDevIDs). CA certificates: 'hallmark ca revoke'.",
        "Reasons: unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, "
                + "cessationOfOperation, privilegeWithdrawn, aACompromise."})
final class RevokeCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "SERIAL", description = "Serial number, lowercase hex.")
        String serial;
        @Option(names = "--device", paramLabel = "ID", description = "Device serial number: revoke all its current certificates and block it.")
        String device;
        @Option(names = "--batch", paramLabel = "FILE", description = "File of serials, one per line. An unknown serial refuses the whole batch.")
        Path batch;
    }

    @Option(names = "--reason", required = true, paramLabel = "REASON", description = "RFC 5280 reason, e.g. keyCompromise.")
    String reason;

    @Option(names = "--invalidity-date", paramLabel = "TIME", description = "When the key is known or suspected to have been compromised (ISO-8601, e.g. 2026-11-01T00:00:00Z).")
    String invalidityDate;

    @Mixin
    Output.JsonOption output;

    record BatchReport(int revoked, List<String> alreadyRevoked, List<CertificateSummary> certificates) {
    }

    record DeviceReport(String device, boolean blocked, List<CertificateSummary> revoked) {
    }

    @Override
    public Integer call() {
        RevocationReason r = RevocationReason.parse(reason);
        Instant invalidity = invalidityDate(invalidityDate);
        List<String> batch = target.batch == null ? null : readBatch(target.batch);
        var hallmark = root.open();
        Instant now = hallmark.clock().instant();
        if (target.device != null) {
            Revoker.DeviceOutcome out = hallmark.revoker().revokeDevice(target.device, r, invalidity, HallmarkCommand.actor());
            if (output.json) {
                Output.json(new DeviceReport(out.deviceId(), out.blocked(), out.revoked().stream().map(c -> CertificateSummary.of(c, now)).toList()));
            } else {
                for (CertificateRecord c : out.revoked()) System.out.println("revoked " + c.serial() + " (" + c.profile() + ", " + r + ")");
                System.out.println("device " + Output.safe(out.deviceId()) + " blocked from enrollment (" + out.revoked().size() + " certificate(s) revoked)");
            }
        } else if (batch != null) {
            Revoker.BatchOutcome out = hallmark.revoker().revokeBatch(batch, r, invalidity, HallmarkCommand.actor());
            if (output.json) {
                Output.json(new BatchReport(out.revoked().size(), out.alreadyRevoked(), out.revoked().stream().map(c -> CertificateSummary.of(c, now)).toList()));
            } else {
                System.out.println("revoked " + out.revoked().size() + " certificate(s) (" + r + ")"
                        + (out.alreadyRevoked().isEmpty() ? "" : "; " + out.alreadyRevoked().size() + " already revoked, left as they were: "
                        + String.join(", ", out.alreadyRevoked().subList(0, Math.min(10, out.alreadyRevoked().size())))));
            }
        } else {
            List<CertificateRecord> all = hallmark.revoker().revokeWithDependents(target.serial, r, invalidity, HallmarkCommand.actor());
            CertificateRecord revoked = all.getFirst();
            if (output.json) {
                Output.json(CertificateSummary.of(revoked, now));
            } else {
                System.out.println("revoked " + revoked.serial() + " (" + r + ")" + (revoked.deviceId() == null ? "" : " of device " + Output.safe(revoked.deviceId())));
                for (CertificateRecord c : all.subList(1, all.size())) {
                    System.out.println("revoked " + c.serial() + " (" + c.profile() + ") too: it was enrolled with the compromised identity");
                }
            }
        }
        return 0;
    }

    /** {@code --invalidity-date} as given (ISO-8601), or null; shared with {@code ca revoke}. */
    static Instant invalidityDate(String text) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw HallmarkException.badInput("--invalidity-date must be ISO-8601 like 2026-11-01T00:00:00Z, not '" + text + "'");
        }
    }

    private static List<String> readBatch(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("no such file: " + file);
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}
