package io.hallmark.cli;

import io.hallmark.cli.backup.BackupDamagedException;
import io.hallmark.cli.backup.Restore;
import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.vault.Passphrase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "restore", description = {
        "Restore a backup into a new data directory, its database into an empty PostgreSQL database with --db.",
        "The data directory (--data) gets the key vault, and the SQLite database unless --db (or HALLMARK_DB) names one.",
        "Refuses a directory or database that is not empty (exit 5). Checks the file's checksum, the manifest, every "
                + "entry's SHA-256, the rows and the audit chain before anything is put in place; a backup that fails a check "
                + "is refused (exit 7). A backup of an older version is brought up to this version's schema.",
        "The vault passphrase is not in the backup: put it back (DATA/vault.pass, mode 0600, or HALLMARK_PASSPHRASE) before signing."})
final class RestoreCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The backup file ('hallmark backup --out').")
    Path in;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        Path data = root.dataDir();
        String url = MigrateCommand.installationUrl(root);
        Restore.Result r;
        try {
            r = Restore.restore(in, data, url, new CopyProgress(System.err, output.json));
        } catch (BackupDamagedException e) {
            System.err.println("hallmark: backup " + Output.safe(in) + " refused, nothing was restored: " + Output.safe(e.getMessage()));
            return ExitCodes.AUDIT_BROKEN;
        }
        // ca/ is derived from the database: exported again, as init does. Reading CAs needs no passphrase.
        try (Hallmark hallmark = Installation.open(data, url, () -> {
            throw HallmarkException.badInput("restore does not sign");
        })) {
            Exports.caFiles(hallmark, data);
        }
        List<String> missingKeys = Restore.missingKeys(r);
        if (output.json) {
            Output.json(new Report(r.dataDir().toString(), r.database(), r.sha256(), r.manifest(), r.audit(), r.keys(), missingKeys));
        } else {
            System.out.println("restored " + Output.safe(in) + " into " + r.dataDir());
            Output.fields(System.out,
                    "database", r.database(),
                    "backup taken", r.manifest().createdAt() + " from " + r.manifest().source() + " (hallmark " + r.manifest().hallmarkVersion() + ")",
                    "certificates", r.manifest().rows().getOrDefault("certificates", 0L),
                    "audit chain", "intact: " + r.audit().entries() + " entries, head " + r.audit().headHash(),
                    "key files", r.keys() + " in " + Installation.keys(data).toAbsolutePath(),
                    "sha256", r.sha256());
            System.out.println("next: put the vault passphrase back before signing: " + Passphrase.defaultFile(data).toAbsolutePath()
                    + " (mode 0600) or $" + Passphrase.ENV + (url == null ? "" : "; run every command with --db (or HALLMARK_DB) and --data " + data));
        }
        if (!missingKeys.isEmpty()) {
            System.err.println("hallmark: warning: the CAs' keys " + missingKeys + " were not in the backup: those CAs cannot sign until their keys are back");
        }
        return 0;
    }

    record Report(String dataDir, String database, String sha256, io.hallmark.cli.backup.Manifest manifest,
                  io.hallmark.core.audit.AuditVerification audit, int keyFiles, List<String> missingKeys) {
    }
}
