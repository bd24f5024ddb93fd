package io.hallmark.cli;

import io.hallmark.core.store.CertificateAuthority;

import java.nio.file.Path;

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
}
