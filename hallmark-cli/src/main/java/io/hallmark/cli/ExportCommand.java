package io.hallmark.cli;

import io.hallmark.cli.broker.BrokerConfig;
import io.hallmark.cli.broker.BrokerExport;
import io.hallmark.cli.broker.BundleWatcher;
import io.hallmark.cli.broker.Listener;
import io.hallmark.cli.broker.NginxConfig;
import io.hallmark.cli.broker.Reload;
import io.hallmark.core.error.HallmarkException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "export", description = "Files other systems need from Hallmark.", subcommands = ExportCommand.Broker.class)
final class ExportCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "broker", description = {
            "Write what an MQTT broker or HTTPS backend needs for mutual TLS with",
            "device certificates, the certificate's identity as user name:",
            "  DIR/ca.pem   the CAs devices' certificates chain to (default: every CA",
            "               that issues LDevIDs, with its issuers up to the root)",
            "  DIR/crl.pem  a current CRL of each of them, PEM",
            "  a snippet    per --type:",
            "    mosquitto  mosquitto.conf; checks crl.pem, read at start and SIGHUP",
            "    nginx      nginx.conf; checks crl.pem for every CA of the chain,",
            "               read at start and reload",
            "    emqx       emqx.conf; fetches CRLs from the certificates' distribution",
            "               points itself (ssl listeners only)",
            "    hivemq     hivemq-config.xml, truststore.p12; HiveMQ CE checks NO",
            "               revocation (docs/brokers.md says what to do instead)",
            "A file is replaced, atomically, only when what it says changed (crl.pem",
            "also once half its validity is gone); then the broker is reloaded",
            "(--reload-pid, --reload-command). --watch keeps the files fresh until",
            "SIGINT/SIGTERM: it follows revocations and CA changes (polling the store's",
            "sequences every second) and prints a line per rewrite."})
    static final class Broker implements Callable<Integer> {

        @ParentCommand
        ExportCommand parent;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "mosquitto, emqx, hivemq or nginx.")
        String type;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files (created if missing).")
        Path out;

        @Option(names = "--ca", paramLabel = "NAME", description = "A CA whose certificates the broker accepts (repeatable; its issuers come with it). "
                + "Default: every CA that issues LDevIDs. IDevIDs are meant for enrollment: add --ca idevid-ca to let them in.")
        List<String> cas = List.of();

        @Option(names = "--listen", paramLabel = "HOST:PORT", description = "The broker's listener in the snippet. Default: 0.0.0.0 and 8883 (nginx: 443).")
        String listen;

        @Option(names = "--server-cert", paramLabel = "FILE", description = "The broker's own certificate chain (PEM) to name in the snippet; else a placeholder to edit.")
        Path serverCert;

        @Option(names = "--server-key", paramLabel = "FILE", description = "The broker's private key (PEM) to name in the snippet; else a placeholder.")
        Path serverKey;

        @Option(names = "--backend", paramLabel = "URL", description = "nginx: where requests go, with the client's subject in X-Client-Subject. Default: http://127.0.0.1:8000.")
        String backend;

        @ArgGroup(exclusive = true)
        ReloadOption reload;

        static final class ReloadOption {
            @Option(names = "--reload-pid", paramLabel = "FILE", description = "After a rewrite, send SIGHUP to the process in this pid file "
                    + "(mosquitto's pid_file, nginx's pid): both re-read their files then.")
            Path pidFile;

            @Option(names = "--reload-command", paramLabel = "CMD", description = "After a rewrite, run this shell command (at most "
                    + Reload.TIMEOUT_SECONDS + " s), e.g. 'nginx -s reload' or 'systemctl reload mosquitto'.")
            String command;
        }

        @Option(names = "--watch", description = "Keep the files fresh until SIGINT/SIGTERM.")
        boolean watch;

        @Mixin
        Output.JsonOption output;

        record Report(String type, String dir, List<String> cas, List<String> written, List<CrlReport> crls, String reload) {
        }

        record CrlReport(String ca, long number, int entries, String nextUpdate) {
        }

        @Override
        public Integer call() {
            if (output.json && watch) throw HallmarkException.badInput("--json reports one export; --watch prints a line per rewrite instead");
            BrokerConfig config = BrokerConfig.of(type);
            if ((serverCert == null) != (serverKey == null)) throw HallmarkException.badInput("--server-cert and --server-key go together");
            if (backend != null && !(config instanceof NginxConfig)) throw HallmarkException.badInput("--backend is for --type nginx");
            ServeCommand.HostPort at = listen == null ? new ServeCommand.HostPort("0.0.0.0", config.defaultPort())
                    : ServeCommand.HostPort.parse(listen, "--listen");
            if (backend != null && !backend.matches("https?://[^\\s;{}'\"]+")) throw HallmarkException.badInput("--backend must be an http:// or https:// URL");
            Reload reloader = reload == null ? new Reload.None()
                    : reload.pidFile != null ? new Reload.Signal(reload.pidFile) : new Reload.Command(reload.command);
            var hallmark = parent.root.open();
            BrokerExport export = new BrokerExport(hallmark, config,
                    new Listener(out.toAbsolutePath(), at.host(), at.port(), serverCert, serverKey, backend), cas);
            if ((watch || reload != null) && !config.readsCrlFile()) {
                System.err.println("hallmark: " + type + " does not read crl.pem (docs/brokers.md): only a changed ca.pem or "
                        + config.fileName() + " makes a rewrite");
            }
            BrokerExport.Outcome first = export.export();
            if (output.json) {
                String reloaded = first.written().isEmpty() || reload == null ? null : reloader.reload();
                Output.json(new Report(type, out.toAbsolutePath().toString(), first.bundle().cas().stream().map(c -> c.name()).toList(), first.written(),
                        first.bundle().crls().stream().map(c -> new CrlReport(c.ca(), c.number(), c.entries(), c.nextUpdate().toString())).toList(), reloaded));
                return 0;
            }
            System.out.println(out + ": " + (first.written().isEmpty() ? "up to date" : BundleWatcher.describe(first))
                    + " for " + type + "; CAs " + first.bundle().caNames());
            if (!first.written().isEmpty() && reload != null) {
                try {
                    System.out.println("reload: " + reloader.reload());
                } catch (HallmarkException e) {
                    if (!watch) throw e; // the files are written; the exit code says the broker was not told
                    System.err.println("hallmark: reload failed: " + e.getMessage());
                }
            }
            if (!watch) return 0;
            return watch(hallmark, export, reloader, first);
        }

        private static int watch(io.hallmark.core.Hallmark hallmark, BrokerExport export, Reload reloader, BrokerExport.Outcome first) {
            BundleWatcher watcher = new BundleWatcher(hallmark, export, reloader, System.out, System.err);
            Thread hook = new Thread(() -> {
                if (!watcher.stop(Duration.ofSeconds(40))) System.err.println("hallmark: the watch did not stop in time");
                System.out.println("stopped watching");
                System.out.flush();
            }, "hallmark-export-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("watching revocations and CAs for " + export.listener().dir() + " (SIGINT or SIGTERM stops)");
            System.out.flush();
            watcher.run(first);
            return 0;
        }
    }
}
