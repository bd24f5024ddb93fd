package io.hallmark.cli;

import io.hallmark.cli.backup.KeyFiles;
import io.hallmark.store.transfer.CopyReport;
import io.hallmark.store.transfer.Database;
import io.hallmark.store.transfer.StoreCopy;
import io.hallmark.store.transfer.StoreSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "migrate", description = {
        "Copy a whole installation's store into an empty database: SQLite to PostgreSQL, or back.",
        "Also between two databases of a kind.",
        "Every table is copied with its ids, sequences and heads (audit chain, revocation and configuration sequences, OCSP "
                + "responders, stations, credentials). Before the copy counts it is checked: rows and content of every table, the "
                + "audit chain, and random certificates plus the first and last issued, byte for byte. A copy that fails a check "
                + "leaves the target as it was (exit 7); a target that holds anything is refused (exit 5).",
        "The source is read in one snapshot, so a running server does no harm, but what it records after the snapshot is "
                + "not copied: stop every server first (the report says if the source moved on).",
        "CA keys are not in the database: they stay in the key vault directory (DATA/keys), with the vault passphrase; "
                + "every node of a PostgreSQL installation needs both (docs/backup.md)."})
final class MigrateCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--from", paramLabel = "DIR|URL", description = "The installation to copy: a data directory (its SQLite database) "
            + "or a JDBC URL. Default: this installation (--data, --db).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "URL|DIR", description = "Where to: an empty PostgreSQL database "
            + "(jdbc:postgresql://HOST/DB?user=...), or a data directory with no hallmark.db yet.")
    String to;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        String installationUrl = installationUrl(root);
        Database source = from != null ? Database.of(from) : Database.installation(root.dataDir(), installationUrl);
        Database target = Database.of(to);
        CopyReport r = StoreCopy.copy(source, target, new CopyProgress(System.err, output.json));

        // The vault stays in a data directory: where the source's keys are, and where the target's users will look.
        Path sourceKeys = source.sqlite() ? Installation.keys(source.sqliteFile().getParent()) : Installation.keys(root.dataDir());
        Path targetKeys = target.sqlite() ? Installation.keys(target.sqliteFile().getParent()) : Installation.keys(root.dataDir());
        List<String> caKeys = r.verified() ? StoreSummary.of(target).caKeys() : List.of();
        List<String> missingKeys = KeyFiles.missing(caKeys, KeyFiles.names(targetKeys));
        List<String> next = nextSteps(source, target, sourceKeys, targetKeys, missingKeys);

        if (output.json) {
            Output.json(new Report(r, targetKeys.toAbsolutePath().toString(), missingKeys, next));
        } else {
            print(r);
            if (r.verified()) {
                System.out.println(missingKeys.isEmpty()
                        ? "CA keys: the key vault in " + targetKeys.toAbsolutePath() + " holds all " + caKeys.stream().filter(k -> k.startsWith("soft:")).count()
                        + " software-vault keys the CAs name"
                        : "CA keys: " + missingKeys.size() + " of the CAs' keys are not in " + targetKeys.toAbsolutePath());
                next.forEach(line -> System.out.println("next: " + line));
            }
        }
        if (!r.verified()) {
            System.err.println("hallmark: the copy did not verify, nothing was kept in " + Output.safe(r.to()) + ": " + Output.safe(String.join("; ", r.problems())));
            return ExitCodes.AUDIT_BROKEN;
        }
        if (r.sourceChanged()) {
            System.err.println("hallmark: warning: the source recorded more after the copy's snapshot; the target holds the source as it was "
                    + "when the copy began. Stop every server, then copy again into an empty target.");
        }
        r.warnings().forEach(w -> System.err.println("hallmark: warning: " + Output.safe(w)));
        if (!missingKeys.isEmpty()) {
            System.err.println("hallmark: warning: the CAs' keys " + missingKeys + " are not in " + targetKeys.toAbsolutePath()
                    + ": copy the key vault there before signing (see next steps)");
        }
        return 0;
    }

    record Report(CopyReport copy, String keysDirectory, List<String> missingKeys, List<String> nextSteps) {
    }

    static String installationUrl(HallmarkCommand root) {
        String url = root.db() != null ? root.db() : System.getenv("HALLMARK_DB");
        return url == null || url.isBlank() ? null : url;
    }

    private static List<String> nextSteps(Database source, Database target, Path sourceKeys, Path targetKeys, List<String> missingKeys) {
        List<String> next = new ArrayList<>();
        if (!missingKeys.isEmpty()) {
            next.add("copy the key vault: mkdir -p -m 700 " + targetKeys.toAbsolutePath() + " && cp -p " + sourceKeys.toAbsolutePath() + "/* "
                    + targetKeys.toAbsolutePath() + "/ (and keep the vault passphrase at hand: HALLMARK_PASSPHRASE or DATA/vault.pass)");
        }
        if (target.sqlite()) {
            next.add("run every command with --data " + target.sqliteFile().getParent() + " and without --db or HALLMARK_DB");
        } else {
            next.add("run every command with --db '" + target.redactedUrl() + "' (or HALLMARK_DB) and --data " + targetKeys.toAbsolutePath().getParent()
                    + " (the key vault and the passphrase, on every node)");
        }
        if (source.sqlite()) {
            next.add(source.sqliteFile() + " is not used by the new installation: keep it until you have checked the new one, then move it away");
        }
        return next;
    }

    private static void print(CopyReport r) {
        System.out.printf("%s %s to %s (schema version %s) in %.1f s%n", r.verified() ? "copied" : "NOT copied", Output.safe(r.from()),
                Output.safe(r.to()), r.schemaVersion(), r.seconds());
        Output.table(System.out, List.of("TABLE", "SOURCE", "TARGET", "CONTENT"), r.tables().stream()
                .map(t -> List.of(t.name(), Long.toString(t.sourceRows()), Long.toString(t.targetRows()), t.contentEqual() ? "same" : "DIFFERS"))
                .toList());
        CopyReport.AuditReport a = r.audit();
        System.out.println(a.intact()
                ? "audit chain intact on the target: " + a.entries() + " entries, head " + a.headHash()
                : "audit chain on the target: " + Output.safe(a.problem()));
        System.out.println("certificates: " + r.certificates().checked() + " compared byte for byte with the source, "
                + r.certificates().identical() + " identical");
    }
}
