package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.report.CertificateSummary;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.IdentityProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "cert", description = "List and show issued certificates.",
        subcommands = {CertCommand.ListCerts.class, CertCommand.Show.class, CertVerifyCommand.class, CertImportCommand.class})
final class CertCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "list", description = "List certificates, newest first.")
    static final class ListCerts implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;
        @Option(names = "--device", paramLabel = "ID", description = "Only this device's certificates.")
        String device;
        @Option(names = "--ca", paramLabel = "NAME", description = "Only certificates issued by this CA.")
        String ca;
        @Option(names = "--profile", paramLabel = "NAME", description = "Only this profile.")
        String profile;
        @Option(names = "--expiring-within", paramLabel = "DURATION", description = "Unrevoked certificates expiring within e.g. 30d (includes expired ones).")
        String expiringWithin;
        @Option(names = "--limit", defaultValue = "1000", paramLabel = "N",
                description = "At most this many, newest first (default ${DEFAULT-VALUE}); stderr says when there are more.")
        int limit;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var hallmark = cert.root.open();
            Instant now = hallmark.clock().instant();
            Instant before = expiringWithin == null ? null : now.plus(Validity.parseDuration(expiringWithin));
            if (limit < 1) throw io.hallmark.core.error.HallmarkException.badInput("--limit must be at least 1");
            // One more than asked tells whether the list was cut, without counting the whole table. Rows are written
            // as they are read, their provenance looked up a chunk at a time: memory stays bounded whatever --limit.
            CertificateQuery query = new CertificateQuery(device, ca, profile, before, limit == Integer.MAX_VALUE ? limit : limit + 1);
            List<CertificateSummary> textRows = new java.util.ArrayList<>();
            int[] seen = {0};
            try (Output.JsonArray array = output.json ? Output.jsonArray() : null) {
                java.util.function.Consumer<CertificateSummary> sink = array != null ? array::add : textRows::add;
                hallmark.store().read(tx -> {
                    List<CertificateRecord> chunk = new java.util.ArrayList<>();
                    tx.certificates().each(query, c -> {
                        if (++seen[0] > limit) return;
                        chunk.add(c);
                        if (chunk.size() == PROVENANCE_CHUNK) flush(tx, chunk, now, sink);
                    });
                    flush(tx, chunk, now, sink);
                    return null;
                });
            }
            boolean more = seen[0] > limit;
            if (!output.json) {
                Output.table(System.out, List.of("SERIAL", "PROFILE", "CA", "DEVICE", "NOT AFTER", "STATUS"),
                        textRows.stream().map(c -> List.of(c.serial(), c.profile(), c.ca(), c.device() == null ? "-" : c.device(),
                                c.notAfter(), c.status())).toList());
            }
            if (more) {
                // On stderr, so that the listing (text or JSON) stays what it was; a script still sees it in its log.
                System.err.println("hallmark: showing the first " + limit + "; there are more: use --limit N to see more, or narrow the list"
                        + " with --device, --ca, --profile or --expiring-within");
            }
            return 0;
        }
    }

    /** Certificates whose provenance one query fetches while a listing streams. */
    private static final int PROVENANCE_CHUNK = 500;

    private static void flush(io.hallmark.core.store.Tx tx, List<CertificateRecord> chunk, Instant now,
                              java.util.function.Consumer<CertificateSummary> sink) {
        if (chunk.isEmpty()) return;
        var provenance = tx.issuance().provenance(chunk.stream().map(CertificateRecord::serial).toList());
        chunk.forEach(c -> sink.accept(CertificateSummary.of(c, now, provenance.get(c.serial()))));
        chunk.clear();
    }

    @Command(name = "show", description = "Show one certificate.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        CertCommand cert;
        @Parameters(paramLabel = "SERIAL", description = "Serial number, lowercase hex.")
        String serial;
        @Option(names = "--pem", description = "Print the certificate as PEM.")
        boolean pem;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var hallmark = cert.root.open();
            String normalized = Serials.normalize(serial);
            CertificateRecord c = hallmark.store().inTransaction(tx -> tx.certificates().find(normalized))
                    .orElseThrow(() -> io.hallmark.core.error.HallmarkException.notFound("no certificate with serial " + normalized));
            IdentityProvenance provenance = hallmark.store().inTransaction(tx -> tx.issuance().provenance(List.of(normalized))).get(normalized);
            CertificateSummary s = CertificateSummary.of(c, hallmark.clock().instant(), provenance);
            if (pem) {
                System.out.print(Pem.certificate(c.der()));
            } else if (output.json) {
                Output.json(s);
            } else {
                Output.fields(System.out, "serial", s.serial(), "status", s.status(), "profile", s.profile(), "ca", s.ca(),
                        "device", s.device(), "subject", s.subject(), "not before", s.notBefore(), "not after", s.notAfter(),
                        "issued at", s.issuedAt(), "sha256", s.sha256(), "key id", s.keyId(),
                        "revoked at", s.revokedAt(), "reason", s.revocationReason(), "station", s.station(), "key storage", s.keyStorage());
            }
            return 0;
        }
    }
}
