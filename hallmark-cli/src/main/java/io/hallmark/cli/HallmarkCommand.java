package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.vault.Passphrase;
import io.hallmark.store.JdbcStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

@Command(name = "hallmark", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = VersionProvider.class,
        description = "Own your device identities: CA hierarchy, IEEE 802.1AR IDevID/LDevID issuance, revocation, audit.",
        subcommands = {QuickstartCommand.class, ServeCommand.class, InitCommand.class, CaCommand.class, IssueCommand.class, CertCommand.class, InventoryCommand.class,
                RevokeCommand.class, CrlCommand.class, PublicationCommand.class, AuditCommand.class, TokenCommand.class, OperatorCommand.class,
                EstCommand.class, DeviceCommand.class, RegisterCommand.class, ImportCommand.class, ExportCommand.class, StationCommand.class,
                FactoryCommand.class, BackupCommand.class, RestoreCommand.class, MigrateCommand.class, CeremonyCommand.class, MatterCommand.class,
                EventsCommand.class, MetricsCommand.class, ReportCommand.class, PolicyCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  HALLMARK_DATA             data directory (default ./hallmark-data)",
                "  HALLMARK_DB               database URL (default: SQLite in the data directory)",
                "  HALLMARK_PASSPHRASE       vault passphrase (else HALLMARK_PASSPHRASE_FILE or",
                "                            DATA/vault.pass, mode 0600); needed only to sign.",
                "                            A new vault's: 12 characters or more, 5 different",
                "                            (init generates one if none is set)",
                "  HALLMARK_LISTEN           serve/quickstart HTTPS address (default 127.0.0.1:8443)",
                "  HALLMARK_HTTP_LISTEN      serve/quickstart HTTP address (default 127.0.0.1:8080)",
                "  HALLMARK_DEBUG            print stack traces",
                "%nExit codes: 0 ok, 1 failure, 2 usage, 3 bad input (also: no passphrase, or a new vault's too weak), 4 not found, 5 conflict, 6 forbidden, 7 integrity check failed (audit chain or checkpoint, certificates, a backup, a copy or a ceremony share, a Matter attestation chain),",
                "  8 unavailable (the database or the server could not be reached; try again later), 9 the database was written by a newer hallmark (upgrade hallmark, or restore a backup)."})
public final class HallmarkCommand implements AutoCloseable {

    @Option(names = "--data", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Data directory: database, vault, exported files. Default: $HALLMARK_DATA or ./hallmark-data.")
    Path data;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Database URL, e.g. jdbc:postgresql://127.0.0.1/hallmark?user=hallmark. Default: $HALLMARK_DB or SQLite in the data directory.")
    String db;

    private Hallmark hallmark;
    private volatile Passphrase passphrase; // set by the vault when it first needs a key

    Path dataDir() {
        if (data != null) return data;
        String env = System.getenv("HALLMARK_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "hallmark-data");
    }

    /**
     * Opens the instance. The vault passphrase is resolved when a key is first used, not here: commands
     * that only read (list, show, export, verify) work without it. Only {@code init} and {@code quickstart}
     * may create a vault passphrase file; any other command that signs on a directory without one fails
     * rather than silently starting a second vault.
     */
    Hallmark open(boolean mayCreatePassphrase) {
        if (hallmark == null) {
            String url = databaseUrl();
            if (!mayCreatePassphrase && url == null && !java.nio.file.Files.exists(dataDir().resolve(JdbcStore.SQLITE_FILE))) {
                throw io.hallmark.core.error.HallmarkException.notFound("no Hallmark data in " + dataDir().toAbsolutePath() + ": run 'hallmark init' or 'hallmark quickstart' first, or pass --data");
            }
            hallmark = Installation.open(dataDir(), url, () -> passphrase = Passphrase.resolve(dataDir(), mayCreatePassphrase));
        }
        return hallmark;
    }

    Hallmark open() {
        return open(false);
    }

    /** The database to open: {@code --db}, else {@code $HALLMARK_DB}; null for SQLite in the data directory. */
    String databaseUrl() {
        String url = db != null ? db : System.getenv("HALLMARK_DB");
        return url == null || url.isBlank() ? null : url;
    }

    /** The {@code --db} option as given, null without it ({@code $HALLMARK_DB} applies only when an installation is opened). */
    public String db() {
        return db;
    }

    /** The vault passphrase once a key was used (null before); {@link Passphrase#generated()} if this run created its file. */
    Passphrase passphrase() {
        return passphrase;
    }

    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Override
    public void close() {
        if (hallmark != null) {
            hallmark.close();
        }
    }
}
