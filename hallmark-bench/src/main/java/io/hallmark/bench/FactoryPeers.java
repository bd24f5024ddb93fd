package io.hallmark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.error.HallmarkException;

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
final class FactoryPeers {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Rate(long count, double seconds, double perSecond, String note) {
    }

    public record Speed(double signPerSecond, double verifyPerSecond, double cryptoLimitPerSecond) {
    }

    private FactoryPeers() {
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
     * {@code cfssl serve} with the same CA, {@code clients} keep-alive connections posting each CSR to
     * /api/v1/cfssl/sign. The client matters on two shared cores: cfssl spends about 300 µs of CPU per request
     * here, Java's HttpClient spent more than that per request (cfssl measured ~1,500/s), and {@code curl
     * --parallel} does not keep its connections busy (~3,000/s). This client writes prepared request bytes on
     * plain sockets and reads each response by its Content-Length (a few µs each), which gets the same rate as
     * {@code ab -k} posting a single CSR. Request bodies are built beforehand; every response is checked after.
     */
    public static Rate cfssl(Path work, Path caCert, Path caKey, List<String> csrPems, int clients) throws Exception {
        Path dir = Files.createDirectories(work.resolve("cfssl"));
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"signing\":{\"default\":{\"expiry\":\"87600h\",\"usages\":[\"digital signature\"]}}}");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<byte[]> requests = new ArrayList<>(csrPems.size());
        for (String pem : csrPems) {
            byte[] body = JSON.writeValueAsBytes(Map.of("certificate_request", pem));
            byte[] head = ("POST /api/v1/cfssl/sign HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = java.util.Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            requests.add(request);
        }
        byte[][] responses = new byte[requests.size()][];
        Process server = new ProcessBuilder("cfssl", "serve", "-address", "127.0.0.1", "-port", Integer.toString(port),
                "-ca", caCert.toString(), "-ca-key", caKey.toString(), "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("cfssl.log").toFile()).start();
        try {
            waitForPort(port, server);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                        socket.setTcpNoDelay(true);
                        var out = socket.getOutputStream();
                        var in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
                        for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                            out.write(requests.get(i));
                            responses[i] = readResponse(in);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!failures.isEmpty()) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cfssl client failed: " + failures.getFirst());
            }
            for (int i = 0; i < responses.length; i++) {
                JsonNode json = JSON.readTree(responses[i]);
                if (!json.path("success").asBoolean() || !json.path("result").path("certificate").asText().startsWith("-----BEGIN CERTIFICATE")) {
                    throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cfssl sign failed for request " + i + ": " + json);
                }
            }
            Files.write(dir.resolve("first-response.json"), responses[0]);
            return new Rate(responses.length, seconds, responses.length / seconds,
                    clients + " keep-alive connections, POST /api/v1/cfssl/sign, every response checked");
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** One HTTP/1.1 response with a Content-Length body (what cfssl sends); its body, or an exception for anything but 200. */
    private static byte[] readResponse(java.io.InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        String status = null;
        int length = -1;
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed by cfssl");
            if (b != '\n') {
                if (b != '\r') line.append((char) b);
                continue;
            }
            if (line.isEmpty()) break;
            String h = line.toString();
            if (status == null) {
                status = h;
            } else if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).strip());
            }
            line.setLength(0);
        }
        if (status == null || !status.startsWith("HTTP/1.1 200")) throw new IOException("cfssl answered " + status);
        if (length < 0) throw new IOException("cfssl answered without Content-Length");
        return in.readNBytes(length);
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
