package io.hallmark.cli;

import io.hallmark.core.HallmarkException;
import io.hallmark.core.revoke.RevocationReason;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.store.CertificateRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

@Command(name = "revoke", description = {"Record the revocation of a certificate (RFC 5280 reason codes).",
        "Reasons: unspecified, keyCompromise, cACompromise, affiliationChanged, superseded,",
        "cessationOfOperation, privilegeWithdrawn, aACompromise."})
final class RevokeCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Parameters(paramLabel = "SERIAL", description = "Serial number, lowercase hex.")
    String serial;

    @Option(names = "--reason", required = true, paramLabel = "REASON", description = "RFC 5280 reason, e.g. keyCompromise.")
    String reason;

    @Option(names = "--invalidity-date", paramLabel = "TIME", description = "When the key is known or suspected to have been compromised (ISO-8601, e.g. 2026-11-01T00:00:00Z).")
    String invalidityDate;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        RevocationReason r = RevocationReason.parse(reason);
        Instant invalidity = null;
        if (invalidityDate != null) {
            try {
                invalidity = Instant.parse(invalidityDate);
            } catch (DateTimeParseException e) {
                throw HallmarkException.badInput("--invalidity-date must be ISO-8601 like 2026-11-01T00:00:00Z, not '" + invalidityDate + "'");
            }
        }
        var hallmark = root.open();
        CertificateRecord revoked = hallmark.revoker().revoke(serial, r, invalidity, HallmarkCommand.actor());
        if (output.json) {
            Output.json(CertificateSummary.of(revoked, hallmark.clock().instant()));
        } else {
            System.out.println("revoked " + revoked.serial() + " (" + r + ")" + (revoked.deviceId() == null ? "" : " of device " + revoked.deviceId()));
        }
        return 0;
    }
}
