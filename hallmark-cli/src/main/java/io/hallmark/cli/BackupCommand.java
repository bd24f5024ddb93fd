package io.hallmark.cli;

import io.hallmark.cli.backup.Backup;
import io.hallmark.cli.backup.BackupDamagedException;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.store.transfer.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "backup", description = {
        "Write a consistent backup of this installation, also while it is serving; never the vault passphrase.",
        "It holds the database (SQLite: VACUUM INTO; PostgreSQL: read in one REPEATABLE READ transaction into a SQLite "
                + "file), the key vault's files (DATA/keys) and a manifest (version, schema version, rows per table, audit head, "
                + "SHA-256 of every entry).",
        "The vault passphrase is never in a backup: keep it separately, a restored installation needs it to sign.",
        "The file is new (an existing one is never replaced), mode 0600, a zip archive ending with its own SHA-256, which "
                + "'hallmark restore' checks.",
        "See docs/backup.md."})
final class BackupCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The backup file to write (e.g. hallmark-2025-01-31.zip).")
    Path out;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        Path data = root.dataDir();
        Database source = Database.installation(data, MigrateCommand.installationUrl(root));
        Set<Path> passphraseFiles = new HashSet<>(List.of(Passphrase.defaultFile(data)));
        String configured = System.getenv(Passphrase.FILE_ENV);
        if (configured != null && !configured.isBlank()) {
            passphraseFiles.add(Path.of(configured));
        }
        Backup.Result r;
        try {
            r = Backup.write(source, Installation.keys(data), passphraseFiles, out, version(), new CopyProgress(System.err, output.json));
        } catch (BackupDamagedException e) {
            System.err.println("hallmark: no backup written: " + Output.safe(e.getMessage()));
            return ExitCodes.AUDIT_BROKEN;
        }
        long keys = r.manifest().entries().stream().filter(e -> e.name().startsWith("keys/")).count();
        if (output.json) {
            Output.json(new Report(r.file().toString(), r.sha256(), r.size(), r.manifest(), r.missingKeys(), r.sourceChanged()));
        } else {
            System.out.println("backup written to " + r.file());
            Output.fields(System.out,
                    "size", r.size() + " bytes",
                    "sha256", r.sha256(),
                    "database", r.manifest().source(),
                    "schema version", r.manifest().schemaVersion(),
                    "certificates", r.manifest().rows().getOrDefault("certificates", 0L),
                    "audit head", "entry " + r.manifest().audit().seq() + ", " + r.manifest().audit().hash(),
                    "key files", keys + " from " + Installation.keys(data).toAbsolutePath());
            System.out.println("not included: the vault passphrase (keep it separately: " + Passphrase.defaultFile(data).toAbsolutePath()
                    + " or $" + Passphrase.ENV + "); logs/, and ca/ (exported again by restore)");
        }
        if (!r.missingKeys().isEmpty()) {
            System.err.println("hallmark: warning: the CAs' keys " + r.missingKeys() + " are not in " + Installation.keys(data).toAbsolutePath()
                    + ", so they are not in the backup (an HSM's keys never are)");
        }
        return 0;
    }

    record Report(String file, String sha256, long size, io.hallmark.cli.backup.Manifest manifest, List<String> missingKeys, boolean sourceChanged) {
    }

    static String version() {
        String v = HallmarkCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
