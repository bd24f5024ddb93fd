package io.hallmark.bench;

import io.hallmark.cli.ExitCodes;
import io.hallmark.cli.Output;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.DeviceCredentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "load", description = {
        "Mixed load on running servers (one or several nodes on one database): EST simpleenroll with the demo IDevIDs "
                + "(a new mutual-TLS connection each), OCSP POST about those IDevIDs, and factory chunks of new devices as a station.",
        "Every answer is checked (a certificate for the CSR's key, an OCSP answer that verifies and names the serial); a 200 "
                + "that is not a valid answer counts as wrong_answer. Reports per operation ok, errors by kind, per_second and "
                + "p50/p99/p999 latency. Loopback targets only. Exit 1 when nothing succeeded or any answer was wrong."})
final class BenchLoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "URL",
            description = "A node's HTTPS listener, e.g. https://127.0.0.1:8443 (repeatable: requests go round robin over the nodes).")
    List<URI> targets = new ArrayList<>();

    @Option(names = "--ocsp-target", paramLabel = "URL", description = "The same node's OCSP listener, e.g. http://127.0.0.1:8080, "
            + "once per --target in the same order. Default: OCSP to the --target itself (its HTTPS listener serves OCSP too, "
            + "without the plain listener's fast path).")
    List<URI> ocspTargets = new ArrayList<>();

    @Option(names = "--mix", defaultValue = "est=1,ocsp=1,factory=1", paramLabel = "est=N,ocsp=N,factory=N",
            description = "Weights of the operations (default ${DEFAULT-VALUE}); 0 or absent leaves one out.")
    String mix;

    @Option(names = "--duration", defaultValue = "20", paramLabel = "S", description = "Seconds to run at most (default ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--max-requests", defaultValue = "1000000", paramLabel = "N", description = "Requests to send at most (default ${DEFAULT-VALUE}).")
    long maxRequests;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "C", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "S", description = "Seconds a request may take before it counts as a timeout (default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--ca-dir", paramLabel = "DIR", description = "CA certificates (*.pem): the servers' TLS chains to one, the demo "
            + "IDevIDs' issuer is one. Default: DATA/ca.")
    Path caDir;

    @Option(names = "--idevid-dir", paramLabel = "DIR", description = "IDevIDs (NAME.pem + NAME.key) for EST and OCSP. Default: DATA/demo "
            + "(from 'hallmark quickstart --devices N').")
    Path idevidDir;

    @Option(names = "--station", paramLabel = "DIR", description = "The station for factory chunks: station.pem and station.key as "
            + "'hallmark station create ... --out DIR' writes them. Needed when the mix has factory.")
    Path station;

    @Option(names = "--factory-ca", defaultValue = "idevid-ca", paramLabel = "CA", description = "CA of the factory chunks (default ${DEFAULT-VALUE}).")
    String factoryCa;

    @Option(names = "--factory-profile", defaultValue = "idevid", paramLabel = "PROFILE", description = "Profile of the factory chunks (default ${DEFAULT-VALUE}).")
    String factoryProfile;

    @Option(names = "--factory-chunk", defaultValue = "10", paramLabel = "N", description = "Devices per factory request (default ${DEFAULT-VALUE}).")
    int factoryChunk;

    @Option(names = "--acknowledged", paramLabel = "FILE", description = "Write the serial (hex) of every certificate a server "
            + "handed back, one a line, so that the store can be checked to hold each one.")
    Path acknowledged;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() throws Exception {
        List<LoadTarget> nodes;
        try {
            nodes = LoadTarget.of(targets, ocspTargets);
        } catch (LoadTarget.NotLoopback e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LoadMix weights = LoadMix.parse(mix);
        if (duration < 1) throw HallmarkException.badInput("--duration must be at least 1 second");
        if (maxRequests < 1) throw HallmarkException.badInput("--max-requests must be positive");
        if (timeout < 1) throw HallmarkException.badInput("--timeout must be at least 1 second");
        if (factoryChunk < 1 || factoryChunk > 1000) throw HallmarkException.badInput("--factory-chunk must be between 1 and 1000");
        io.hallmark.core.crypto.CryptoProviders.install(); // the server's providers, for the client side of TLS too

        Path data = dataDir();
        List<X509Certificate> cas = caCertificates(caDir != null ? caDir : data.resolve("ca"));
        List<LoadRequests.Device> devices = weights.weight(LoadOperation.EST) + weights.weight(LoadOperation.OCSP) == 0 ? List.of()
                : LoadRequests.devices(idevidDir != null ? idevidDir : data.resolve("demo"), cas);
        LoadRequests.Factory factory = null;
        if (weights.weight(LoadOperation.FACTORY) > 0) {
            if (station == null) throw HallmarkException.badInput("the mix has factory: --station DIR (station.pem, station.key) is needed");
            DeviceCredential credential = DeviceCredentials.fromPem(station.resolve("station.pem"), station.resolve("station.key"));
            factory = new LoadRequests.Factory(credential, factoryCa, factoryProfile, factoryChunk);
        }
        Map<String, Object> report;
        try (LoadRequests requests = new LoadRequests(cas, cas, devices, factory, Duration.ofSeconds(timeout));
             BufferedWriter serials = acknowledged == null ? null : Files.newBufferedWriter(acknowledged, StandardCharsets.US_ASCII)) {
            LoadBenchmark bench = new LoadBenchmark(requests, new LoadBenchmark.Settings(nodes, weights, clients, Duration.ofSeconds(duration), maxRequests),
                    serial -> {
                        if (serials == null) return;
                        synchronized (serials) {
                            try {
                                serials.write(serial);
                                serials.newLine();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    });
            report = bench.run();
        }
        if (output.json) {
            Output.json(report);
        } else {
            print(report);
        }
        long ok = 0;
        boolean wrong = false;
        for (LoadOperation op : LoadOperation.values()) {
            if (!(report.get(op.key()) instanceof Map<?, ?> o)) continue;
            ok += (Long) o.get("ok");
            wrong |= ((Map<?, ?>) o.get("errors")).containsKey("wrong_answer");
        }
        return ok == 0 || wrong ? ExitCodes.FAILED : 0;
    }

    /** The inherited --data, else $HALLMARK_DATA, else ./hallmark-data, as every command finds its installation. */
    private Path dataDir() {
        CommandLine.Model.OptionSpec data = spec.root().findOption("--data");
        Object value = data == null ? null : data.getValue();
        if (value instanceof Path p) return p;
        String env = System.getenv("HALLMARK_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "hallmark-data");
    }

    private static List<X509Certificate> caCertificates(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path f : files) out.addAll(DeviceCredentials.certificates(f));
        } catch (IOException e) {
            throw HallmarkException.notFound("cannot read CA certificates in " + dir + " (--ca-dir): " + e.getMessage());
        }
        if (out.isEmpty()) throw HallmarkException.notFound("no CA certificates (*.pem) in " + dir + " (--ca-dir)");
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> report) {
        Map<String, Object> run = (Map<String, Object>) report.get("run");
        System.out.printf("bench load: %s requests in %s s, %s client(s), mix %s%n", run.get("requests"), run.get("seconds"), run.get("clients"), run.get("mix"));
        System.out.printf("%-8s %9s %11s %9s %9s %9s  %s%n", "", "ok", "per second", "p50 ms", "p99 ms", "p999 ms", "errors");
        for (LoadOperation op : LoadOperation.values()) {
            if (!(report.get(op.key()) instanceof Map<?, ?> o)) continue;
            System.out.printf("%-8s %9s %11s %9s %9s %9s  %s%n", op.key(), o.get("ok"), o.get("per_second"), dash(o.get("p50_ms")),
                    dash(o.get("p99_ms")), dash(o.get("p999_ms")), o.get("errors").toString().equals("{}") ? "-" : o.get("errors"));
        }
        for (Map<String, Object> t : (List<Map<String, Object>>) report.get("targets")) {
            System.out.printf("%-8s %s ok %s, errors %s%n", "target", t.get("target"), t.get("ok"), t.get("errors"));
        }
        System.out.println("acknowledged certificates: " + run.get("acknowledged"));
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
