package io.hallmark.bench;

import io.hallmark.cli.ExitCodes;
import io.hallmark.cli.Output;
import io.hallmark.device.DeviceCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "est", description = "EST simpleenroll throughput: C clients, each enrollment a new mutual-TLS connection "
        + "with one of the IDevIDs in --idevid-dir (NAME.pem + NAME.key) and a CSR made beforehand.")
final class BenchEstCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "EST server, e.g. https://127.0.0.1:8443.")
    URI server;

    @Option(names = "--ca-cert", required = true, paramLabel = "FILE", description = "CA certificate the server's TLS certificate chains to.")
    Path caCert;

    @Option(names = "--label", paramLabel = "L", description = "EST label; default: none.")
    String label;

    @Option(names = "--idevid-dir", required = true, paramLabel = "DIR", description = "IDevIDs to enroll with, e.g. DATA/demo from 'quickstart --devices 16'.")
    Path idevidDir;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "C", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", defaultValue = "20", paramLabel = "S", description = "Seconds to run (default ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--client", defaultValue = "socket", paramLabel = "KIND", description = "socket (default): per client thread one "
            + "SSLContext, per enrollment a new connection, a full handshake (sessions are never resumed; counted) and an HTTP/1.1 POST "
            + "on the socket. http-client: the device's EST client, a new SSLContext and java.net.http client per enrollment "
            + "(several times the client CPU).")
    String client;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() throws Exception {
        EstBenchmark.Client kind = switch (client) {
            case "socket" -> EstBenchmark.Client.SOCKET;
            case "http-client" -> EstBenchmark.Client.HTTP_CLIENT;
            default -> throw io.hallmark.core.error.HallmarkException.badInput("--client must be socket or http-client, not '" + client + "'");
        };
        io.hallmark.core.crypto.CryptoProviders.install(); // the same providers the server uses, for the client side of TLS
        EstBenchmark bench = EstBenchmark.prepare(server, label, DeviceCredentials.certificates(caCert), idevidDir);
        EstBenchmark.Result r = bench.run(kind, clients, Duration.ofSeconds(duration));
        if (output.json) {
            Output.json(r);
        } else {
            System.out.printf("EST simpleenroll, %d %s client(s), %.1f s, %d IDevIDs, a new TLS handshake each%n", r.clients(), r.client(), r.seconds(), r.devices());
            Output.fields(System.out, "enrollments", r.enrollments(), "per second", r.perSecond(),
                    "latency p50", r.p50Ms() == null ? "-" : r.p50Ms() + " ms", "latency p99", r.p99Ms() == null ? "-" : r.p99Ms() + " ms",
                    "errors", r.errors(), "full handshakes", r.fullHandshakes() == null ? "not counted" : r.fullHandshakes(), "first error", r.firstError(), "TLS", r.tlsProvider(), "crypto", r.crypto());
        }
        return r.errors() > 0 && r.enrollments() == 0 ? ExitCodes.FAILED : 0;
    }
}
