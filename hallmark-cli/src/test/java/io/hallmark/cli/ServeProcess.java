package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hallmark serve} as its own process on free loopback ports, as an operator runs it; stopped with SIGTERM. */
final class ServeProcess implements AutoCloseable {

    private static final Pattern PLAIN = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern TLS = Pattern.compile("listening on (https://127\\.0\\.0\\.1:\\d+)");

    private final Process process;
    final String httpUri;
    /** The HTTPS listener (EST, the factory, the API); printed before the plain one. */
    final String httpsUri;

    private ServeProcess(Process process, String httpUri, String httpsUri) {
        this.process = process;
        this.httpUri = httpUri;
        this.httpsUri = httpsUri;
    }

    static ServeProcess start(String... globalOptions) throws Exception {
        return start(java.util.Map.of(), List.of(globalOptions), List.of());
    }

    /** With {@code environment} added to the server's (SOFTHSM2_CONF for a PKCS#11 vault on SoftHSM2, say). */
    static ServeProcess start(java.util.Map<String, String> environment, String... globalOptions) throws Exception {
        return start(environment, List.of(globalOptions), List.of());
    }

    /** With options of {@code serve} itself after the listening addresses (e.g. {@code --checkpoint-every 1s}). */
    static ServeProcess start(List<String> globalOptions, List<String> serveOptions) throws Exception {
        return start(java.util.Map.of(), globalOptions, serveOptions);
    }

    static ServeProcess start(java.util.Map<String, String> environment, List<String> globalOptions, List<String> serveOptions) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.hallmark.cli.Main"));
        command.addAll(globalOptions);
        command.addAll(List.of("serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"));
        command.addAll(serveOptions);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process p = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String http = null;
        String https = null;
        for (String line; http == null && (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = PLAIN.matcher(line);
            if (m.find()) http = m.group(1);
            Matcher t = TLS.matcher(line);
            if (t.find()) https = t.group(1);
        }
        if (http == null) {
            p.destroyForcibly();
        }
        assertNotNull(http, "serve never said where it listens:\n" + seen);
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new ServeProcess(p, http, https);
    }

    /**
     * Asks this server's OCSP responder about {@code cert} with {@code openssl ocsp}, and after openssl verified the
     * response against {@code root} returns what it said of the certificate: "good", or "revoked" with the
     * revocation time and reason (the lines that do not change from one answer to the next).
     */
    String ocspStatus(Path dir, Path issuer, Path root, Path cert) {
        return ocspStatus(httpUri, dir, issuer, root, cert);
    }

    /** The same against any server's HTTP listener ({@code http://127.0.0.1:PORT}), an in-process one too. */
    static String ocspStatus(String httpUri, Path dir, Path issuer, Path root, Path cert) {
        Peers.Result r = Peers.run(dir, Peers.tool("openssl").toString(), "ocsp", "-url", httpUri + "/ocsp", "-issuer", issuer.toString(),
                "-CAfile", root.toString(), "-cert", cert.toString(), "-no_nonce");
        assertEquals(0, r.exit(), r::all);
        assertTrue(r.all().contains("Response verify OK"), r::all);
        Matcher m = Pattern.compile(Pattern.quote(cert.toString()) + ": (\\w+)").matcher(r.out());
        assertTrue(m.find(), r::all);
        StringBuilder answer = new StringBuilder(m.group(1));
        r.out().lines().map(String::strip).filter(l -> l.startsWith("Reason:") || l.startsWith("Revocation Time:"))
                .forEach(l -> answer.append("; ").append(l));
        return answer.toString();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
