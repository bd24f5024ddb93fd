package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.store.CertificateAuthority;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;

/** What the matter commands print about a CA they made. */
final class MatterReports {

    private MatterReports() {
    }

    record CaReport(String role, String name, String subject, String key, String certificate) {
    }

    static void ca(boolean json, String role, CertificateAuthority ca, Path data) {
        var report = new CaReport(role, ca.name(), ca.holder().getSubject().toString(), ca.keyRef(), data.resolve("ca").resolve(ca.name() + ".pem").toString());
        if (json) {
            Output.json(report);
        } else {
            Output.fields(System.out, "created", role + " " + ca.name(), "subject", Output.safe(report.subject()), "key", report.key(),
                    "certificate", report.certificate());
        }
    }

    /**
     * Writes an issued DAC or NOC to {@code out}: {@code encoded} of its DER when given (the TLV form), else PEM with the
     * chain when asked; then the JSON report, or the line {@code line} makes of the summary.
     */
    static void issued(IssuedCertificate issued, Path out, boolean chain, Function<byte[], byte[]> encoded, boolean json, Instant now,
                       Function<CertificateSummary, String> line) {
        if (encoded != null) {
            CaCommand.write(out, encoded.apply(issued.certificate().der()));
        } else {
            StringBuilder pem = new StringBuilder(Pem.certificate(issued.certificate().der()));
            if (chain) pem.append(Exports.pem(issued.chain()));
            CaCommand.write(out, pem.toString().getBytes(StandardCharsets.US_ASCII));
        }
        CertificateSummary s = CertificateSummary.of(issued.certificate(), now);
        if (json) {
            Output.json(new IssueCommand.Report(s, issued.replayed(), out.toString(), null));
        } else {
            System.out.println(line.apply(s));
        }
    }
}
