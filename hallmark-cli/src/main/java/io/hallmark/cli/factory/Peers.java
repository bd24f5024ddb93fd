package io.hallmark.cli.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.HallmarkException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peers the factory benchmark measures itself against, on the same machine in the same run, signing
 * the same CSRs with the same CA key: {@code openssl ca}, {@code cfssl serve}, and {@code openssl speed}
 * for the raw ECDSA P-256 limit.
 */
public final class Peers {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Rate(long count, double seconds, double perSecond, String note) {
    }

    public record Speed(double signPerSecond, double verifyPerSecond, double cryptoLimitPerSecond) {
    }

    private Peers() {
    }

    /** One {@code openssl ca -batch} process over all CSRs (-infiles), with an index file, as a small CA would run it. */
    public static Rate opensslCa(Path work, Path caCert, Path caKey, List<Path> csrs) throws Exception {
        Path dir = Files.createDirectories(work.resolve("openssl-ca"));
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("index.txt"), "");
        Path cnf = dir.resolve("ca.cnf");
        Files.writeString(cnf, """
                [ ca ]
                default_ca = bench
                [ bench ]
                dir = %s
                database = $dir/index.txt
                new_certs_dir = $dir/certs
                certificate = %s
                private_key = %s
                rand_serial = yes
                default_md = sha256
                policy = any
                unique_subject = no
                copy_extensions = none
                x509_extensions = idevid
                [ any ]
                serialNumber = optional
                commonName = optional
                organizationName = optional
                [ idevid ]
                keyUsage = critical, digitalSignature
                subjectKeyIdentifier = hash
                authorityKeyIdentifier = keyid
                """.formatted(dir.toAbsolutePath(), caCert.toAbsolutePath(), caKey.toAbsolutePath()));
        List<String> cmd = new ArrayList<>(List.of("openssl", "ca", "-batch", "-config", cnf.toString(), "-notext",
                "-enddate", "99991231235959Z", "-out", dir.resolve("issued.pem").toString(), "-infiles"));
        csrs.forEach(p -> cmd.add(p.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        int rc = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "openssl ca failed (exit " + rc + "); see " + dir.resolve("openssl.log"));
        }
        long issued;
        try (var lines = Files.lines(dir.resolve("index.txt"))) {
            issued = lines.count();
        }
        if (issued != csrs.size()) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "openssl ca issued " + issued + " of " + csrs.size());
        }
        return new Rate(issued, seconds, issued / seconds, "one process, -infiles, index.txt, rand_serial");
    }

    /**
     * {@code cfssl serve} with the same CA, driven by {@code curl --parallel} ({@code clients} keep-alive connections)
     * posting each CSR to /api/v1/cfssl/sign. The client is curl, not Java's HttpClient: the bench shares the two
     * cores with its peer, and HttpClient spent more CPU per request than cfssl itself, which made cfssl look about
     * three times slower than it is. Request bodies are written (untimed) beforehand; every response is checked after.
     */
    public static Rate cfssl(Path work, Path caCert, Path caKey, List<String> csrPems, int clients) throws Exception {
        Path dir = Files.createDirectories(work.resolve("cfssl"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"signing\":{\"default\":{\"expiry\":\"87600h\",\"usages\":[\"digital signature\"]}}}");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path bodies = Files.createDirectories(dir.resolve("requests"));
        Path answers = Files.createDirectories(dir.resolve("responses"));
        StringBuilder curlConfig = new StringBuilder();
        for (int i = 0; i < csrPems.size(); i++) {
            Path body = bodies.resolve(i + ".json");
            Files.writeString(body, JSON.writeValueAsString(Map.of("certificate_request", csrPems.get(i))));
            if (i > 0) curlConfig.append("next\n");
            curlConfig.append("url = \"http://127.0.0.1:").append(port).append("/api/v1/cfssl/sign\"\n")
                    .append("header = \"Content-Type: application/json\"\n")
                    .append("data-binary = \"@").append(body).append("\"\n")
                    .append("output = \"").append(answers.resolve(i + ".json")).append("\"\n");
        }
        Path curlFile = dir.resolve("curl.cfg");
        Files.writeString(curlFile, curlConfig);
        Process server = new ProcessBuilder("cfssl", "serve", "-address", "127.0.0.1", "-port", Integer.toString(port),
                "-ca", caCert.toString(), "-ca-key", caKey.toString(), "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("cfssl.log").toFile()).start();
        try {
            waitForPort(port, server);
            long t0 = System.nanoTime();
            Process curl = new ProcessBuilder("curl", "--silent", "--show-error", "--fail", "--parallel", "--parallel-max", Integer.toString(clients),
                    "--config", curlFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("curl.log").toFile()).start();
            int rc = curl.waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "curl against cfssl failed (exit " + rc + "); see " + dir.resolve("curl.log"));
            }
            long ok = 0;
            for (int i = 0; i < csrPems.size(); i++) {
                JsonNode json = JSON.readTree(answers.resolve(i + ".json").toFile());
                if (!json.path("success").asBoolean() || !json.path("result").path("certificate").asText().startsWith("-----BEGIN CERTIFICATE")) {
                    throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cfssl sign failed for request " + i + ": " + json);
                }
                ok++;
            }
            return new Rate(ok, seconds, ok / seconds, "curl --parallel-max " + clients + " (keep-alive), POST /api/v1/cfssl/sign");
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void waitForPort(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cfssl serve exited early");
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cfssl serve did not listen within 20 s");
    }

    private static final Pattern SPEED = Pattern.compile("256 bits ecdsa \\(nistp256\\)\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)");

    /** {@code openssl speed -multi CORES ecdsap256}: the machine's ECDSA P-256 sign and verify rates on all cores. */
    public static Speed opensslSpeed(int cores, int seconds) throws Exception {
        Process p = new ProcessBuilder("openssl", "speed", "-seconds", Integer.toString(seconds), "-multi", Integer.toString(cores), "ecdsap256")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = SPEED.matcher(out);
        Speed speed = null;
        while (m.find()) {
            double sign = Double.parseDouble(m.group(1)), verify = Double.parseDouble(m.group(2));
            speed = new Speed(sign, verify, 1 / (1 / sign + 1 / verify));
        }
        if (speed == null) throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot read openssl speed output");
        return speed;
    }

    public static boolean available(String command) {
        try {
            Process p = new ProcessBuilder(command, "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
