package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;
import io.hallmark.server.HallmarkServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "serve", description = {"Run the server: EST and the REST API over HTTPS, OCSP and CRLs over HTTP.",
        "Prints 'listening on https://HOST:PORT' once ready; stops gracefully on SIGINT/SIGTERM."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--listen", defaultValue = "${env:HALLMARK_LISTEN:-127.0.0.1:8443}", paramLabel = "HOST:PORT",
            description = "HTTPS address (default $HALLMARK_LISTEN or 127.0.0.1:8443).")
    String listen;

    @Option(names = "--http-listen", defaultValue = "${env:HALLMARK_HTTP_LISTEN:-127.0.0.1:8080}", paramLabel = "HOST:PORT",
            description = "Plain HTTP address for OCSP and CRLs (default $HALLMARK_HTTP_LISTEN or 127.0.0.1:8080).")
    String httpListen;

    @Option(names = "--hostname", paramLabel = "NAME", description = "A name or address clients use to reach this server (repeatable); the TLS certificate covers it, localhost and the listen address.")
    List<String> hostnames = new ArrayList<>();

    @Option(names = "--read-deadline", defaultValue = "20s", paramLabel = "DURATION", description = "How long a client has to deliver a "
            + "request once it connects or its previous response ends: TLS handshake, headers and any body read whole (factory batches "
            + "stream without it). Slower connections are closed, so trickling clients cannot hold them (default ${DEFAULT-VALUE}).")
    String readDeadline;

    @Override
    public Integer call() throws Exception {
        Duration deadline = readDeadline(readDeadline); // checked before the database is opened
        return serve(root.open(), root, listen, httpListen, hostnames, deadline);
    }

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames) throws Exception {
        return serve(hallmark, root, listen, httpListen, extraNames, HallmarkServer.Options.DEFAULT_READ_DEADLINE);
    }

    static int serve(Hallmark hallmark, HallmarkCommand root, String listen, String httpListen, List<String> extraNames,
                     Duration readDeadline) throws Exception {
        HostPort https = HostPort.parse(listen, "--listen");
        HostPort http = HostPort.parse(httpListen, "--http-listen");
        LinkedHashSet<String> names = new LinkedHashSet<>(extraNames);
        if (!https.host().equals("0.0.0.0") && !https.host().equals("::")) names.add(https.host());
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        HallmarkServer server;
        try {
            server = HallmarkServer.start(hallmark, new HallmarkServer.Options(https.host(), https.port(), http.host(), http.port(),
                    List.copyOf(names), root.dataDir().resolve("logs"), readDeadline));
        } catch (Exception e) {
            throw addressInUse(e, https, http).orElseThrow(() -> e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                root.close();
            } catch (Exception e) {
                System.err.println("hallmark: error while stopping: " + e.getMessage());
            }
        }, "hallmark-shutdown"));
        System.out.println("listening on " + server.httpsUri());
        System.out.println("listening on " + server.httpUri() + " (OCSP, CRLs)");
        System.out.flush();
        server.join();
        return 0;
    }

    /**
     * Jetty says "Failed to bind to /127.0.0.1:8443" and leaves out why; the why (another process listens there) is what
     * the operator acts on, and which option names that address.
     */
    static java.util.Optional<HallmarkException> addressInUse(Throwable e, HostPort https, HostPort http) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                String text = String.valueOf(e.getMessage());
                HostPort taken = text.endsWith(":" + http.port()) && http.port() != https.port() ? http : https;
                String option = taken == http ? "--http-listen" : "--listen";
                return java.util.Optional.of(new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot listen on " + taken.host() + ":"
                        + taken.port() + " (" + option + "): the address is already in use: another server (another hallmark serve?) listens"
                        + " there; stop it or choose another port", e));
            }
        }
        return java.util.Optional.empty();
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
