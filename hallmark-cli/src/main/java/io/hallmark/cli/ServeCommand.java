package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.checkpoint.CheckpointWriter;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;
import io.hallmark.server.HallmarkServer;
import io.hallmark.server.http.RateLimits;
import io.hallmark.server.tls.SuppliedIdentity;
import io.hallmark.server.tls.TlsSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "serve", description = {"Run the server: EST and the REST API over HTTPS, OCSP and CRLs over HTTP.",
        "Prints 'listening on https://HOST:PORT' once ready; stops gracefully on SIGINT/SIGTERM.",
        "TLS: a certificate from clients-ca, kept in DATA/tls and renewed while serving, or your own with --tls-cert/--tls-key "
                + "(reloaded when the files change). An address in use: exit code 5."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--listen", defaultValue = "${env:HALLMARK_LISTEN:-127.0.0.1:8443}", paramLabel = "HOST:PORT",
            description = "HTTPS address (default $HALLMARK_LISTEN or 127.0.0.1:8443).")
    String listen;

    @Option(names = "--http-listen", defaultValue = "${env:HALLMARK_HTTP_LISTEN:-127.0.0.1:8080}", paramLabel = "HOST:PORT",
            description = "Plain HTTP address for OCSP and CRLs (default $HALLMARK_HTTP_LISTEN or 127.0.0.1:8080).")
    String httpListen;

    @Option(names = "--hostname", paramLabel = "NAME", description = "A name or address clients use to reach this server (repeatable); the TLS certificate covers it, localhost and the listen address. Not with --tls-cert.")
    List<String> hostnames = new ArrayList<>();

    @ArgGroup(exclusive = false)
    TlsFiles tlsFiles;

    static final class TlsFiles {
        @Option(names = "--tls-cert", required = true, paramLabel = "FILE", description = "Serve this certificate instead of one from "
                + "clients-ca: PEM, the server's certificate first, then its chain. Read again when it changes, without a restart.")
        Path cert;

        @Option(names = "--tls-key", required = true, paramLabel = "FILE", description = "Its private key: PEM, unencrypted "
                + "(PKCS#8 or traditional EC/RSA), readable by this user only.")
        Path key;
    }

    @Option(names = "--read-deadline", defaultValue = "20s", paramLabel = "DURATION", description = "How long a client has to deliver a "
            + "request once it connects or its previous response ends: TLS handshake, headers and any body read whole (factory batches "
            + "stream without it). Slower connections are closed, so trickling clients cannot hold them (default ${DEFAULT-VALUE}).")
    String readDeadline;

    @Option(names = "--checkpoint-every", defaultValue = "1h", paramLabel = "DURATION", description = "How often to sign an audit checkpoint "
            + "into DATA/checkpoints/ (default ${DEFAULT-VALUE}); copy them off the machine. 0 turns it off.")
    String checkpointEvery;

    @Option(names = "--node-id", defaultValue = "${env:HALLMARK_NODE_ID}", paramLabel = "NAME", description = "This node's name among "
            + "the nodes serving one database (default $HALLMARK_NODE_ID, else HOSTNAME:HTTPS-PORT): in logs, /healthz and the jobs lease. "
            + "Every node serves EST, the API, OCSP and CRLs; only the holder of the lease signs CRLs, purges events and writes "
            + "checkpoints, and another node takes over within 8 s of its death. Give each node its own name.")
    String nodeId;

    @Option(names = "--rate-limit", paramLabel = "FAMILY=N/DURATION", description = "Per-client limit (repeatable): est (enrollments, "
            + "per TLS client certificate, else per address), api (calls, per principal) or factory (batches, per station); N requests at "
            + "once, given back over DURATION, e.g. est=60/1h; 'off' for none. Beyond: 429 with Retry-After. Defaults: est=1000/1m, "
            + "api=6000/1m, factory=600/1m.")
    List<String> rateLimits = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Duration deadline = readDeadline(readDeadline);
        RateLimits limits = RateLimits.parse(rateLimits); // checked before the database is opened, as the TLS files are
        TlsSource tls = new TlsSource.BuiltIn(root.dataDir().resolve(TLS_DIR));
        if (tlsFiles != null) {
            if (!hostnames.isEmpty()) {
                throw HallmarkException.badInput("--hostname sets the names of the certificate Hallmark makes; with --tls-cert, "
                        + "the names in your certificate are served");
            }
            SuppliedIdentity.read(tlsFiles.cert, tlsFiles.key, Instant.now());
            tls = new TlsSource.Supplied(tlsFiles.cert.toAbsolutePath(), tlsFiles.key.toAbsolutePath());
        }
        Duration every = "0".equals(checkpointEvery) ? Duration.ZERO : checkpointPeriod(checkpointEvery);
        String node = nodeId == null || nodeId.isBlank() ? defaultNodeId(listen)
                : io.hallmark.core.node.NodeIds.check(nodeId.strip());
        Hallmark hallmark = root.open();
        // Said at every start too: a server on a loopback base URL hands it to every device it enrolls.
        Notices.publication(hallmark.publication().current());
        return serve(hallmark, root, listen, httpListen, hostnames, deadline, tls, every, node, limits);
    }

    /** HOSTNAME:PORT of the HTTPS listener; a port chosen by the system (0) is not known yet, so the process then. */
    static String defaultNodeId(String listen) {
        int port = HostPort.parse(listen, "--listen").port();
        return port == 0 ? io.hallmark.core.node.NodeIds.forProcess() : io.hallmark.core.node.NodeIds.defaultId(port);
    }

    static Duration checkpointPeriod(String text) {
        try {
            return Validity.parseDuration(text);
        } catch (HallmarkException e) {
            throw HallmarkException.badInput("--checkpoint-every must be a duration such as 1h or 15m, not '" + text + "'");
        }
    }

    /** Where the built-in TLS identity is kept between starts, under the data directory. */
    static final String TLS_DIR = "tls";

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames) throws Exception {
        return serve(hallmark, root, listen, httpListen, extraNames, HallmarkServer.Options.DEFAULT_READ_DEADLINE);
    }

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames,
                     Duration readDeadline) throws Exception {
        return serve(hallmark, root, listen, httpListen, extraNames, readDeadline, new TlsSource.BuiltIn(root.dataDir().resolve(TLS_DIR)));
    }

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames,
                     Duration readDeadline, TlsSource tls) throws Exception {
        return serve(hallmark, root, listen, httpListen, extraNames, readDeadline, tls, Duration.ofHours(1));
    }

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames,
                     Duration readDeadline, TlsSource tls, Duration checkpointEvery) throws Exception {
        return serve(hallmark, root, listen, httpListen, extraNames, readDeadline, tls, checkpointEvery,
                defaultNodeId(listen), RateLimits.DEFAULT);
    }

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames,
                     Duration readDeadline, TlsSource tls, Duration checkpointEvery, String nodeId, RateLimits limits) throws Exception {
        HostPort https = HostPort.parse(listen, "--listen");
        HostPort http = HostPort.parse(httpListen, "--http-listen");
        LinkedHashSet<String> names = new LinkedHashSet<>(extraNames);
        if (!https.host().equals("0.0.0.0") && !https.host().equals("::")) names.add(https.host());
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        HallmarkServer server = HallmarkServer.start(hallmark, new HallmarkServer.Options(https.host(), https.port(), http.host(), http.port(),
                List.copyOf(names), root.dataDir().resolve("logs"), readDeadline, tls, limits), nodeId);
        // Periodic signed checkpoints of the audit log, for an off-machine copy job to pick up.
        // Written by the holder of the jobs lease only: one checkpoint per period, whichever node holds it.
        var lease = hallmark.lease().orElseThrow();
        CheckpointWriter checkpoints = checkpointEvery.isZero() ? null
                : new CheckpointWriter(hallmark.checkpoints(), root.dataDir().resolve("checkpoints"), hallmark.clock())
                        .onlyWhile(lease).start(checkpointEvery);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (checkpoints != null) checkpoints.close();
                server.close();
                root.close();
            } catch (Exception e) {
                System.err.println("hallmark: error while stopping: " + e.getMessage());
            }
        }, "hallmark-shutdown"));
        System.out.println("listening on " + server.httpsUri());
        System.out.println("listening on " + server.httpUri() + " (OCSP, CRLs)");
        System.out.println("node " + lease.nodeId() + (lease.held() ? " (holds the jobs lease)" : " (standby for the jobs lease, held by "
                + lease.holder().orElse("another node") + ")"));
        System.out.flush();
        server.join();
        return 0;
    }

    static Duration readDeadline(String text) {
        try {
            return Validity.parseDuration(text);
        } catch (HallmarkException e) {
            throw HallmarkException.badInput("--read-deadline must be a duration such as 20s or 1m, not '" + text + "'");
        }
    }

    record HostPort(String host, int port) {
        static HostPort parse(String text, String option) {
            int colon = text.lastIndexOf(':');
            try {
                String host = text.substring(0, colon).replace("[", "").replace("]", "");
                int port = Integer.parseInt(text.substring(colon + 1));
                if (colon <= 0 || port < 0 || port > 65535) throw new IllegalArgumentException();
                return new HostPort(host, port);
            } catch (RuntimeException e) {
                throw HallmarkException.badInput(option + " must be HOST:PORT, not '" + text + "'");
            }
        }
    }
}
