package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A private nginx on a free loopback port as an on-premises HTTPS backend: {@code ssl_verify_client on} against
 * Hallmark's CA bundle and {@code ssl_crl}; {@code /} answers 200 with the client's subject. {@link #reload()} (SIGHUP)
 * makes it read a rewritten CRL.
 */
public final class NginxMutualTls implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxMutualTls(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static NginxMutualTls start(Path dir, Path clientCas, Path certfile, Path keyfile, Path crlfile) throws Exception {
        Path nginx = Peers.tool("nginx");
        Files.createDirectories(dir.resolve("tmp"));
        int port = MosquittoBroker.freePort();
        Path conf = dir.resolve("nginx.conf");
        String user = System.getProperty("user.name");
        Files.writeString(conf, """
                daemon off;
                master_process on;
                worker_processes 1;
                %s
                pid %s/nginx.pid;
                error_log %s/error.log info;
                events { worker_connections 64; }
                http {
                  access_log %s/access.log;
                  client_body_temp_path %s/tmp/body; proxy_temp_path %s/tmp/proxy; fastcgi_temp_path %s/tmp/fastcgi;
                  uwsgi_temp_path %s/tmp/uwsgi; scgi_temp_path %s/tmp/scgi;
                  server {
                    listen 127.0.0.1:%d ssl;
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    ssl_client_certificate %s;
                    ssl_verify_client on;
                    ssl_verify_depth 2;
                    ssl_crl %s;
                    location / { default_type text/plain; return 200 "hello $ssl_client_s_dn\\n"; }
                  }
                }
                """.formatted("root".equals(user) ? "user root;" : "", dir, dir, dir, dir, dir, dir, dir, dir, port, certfile, keyfile, clientCas, crlfile));
        Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile())).start();
        NginxMutualTls server = new NginxMutualTls(dir, port, process);
        server.awaitListening();
        return server;
    }

    public String url() {
        return "https://127.0.0.1:" + port + "/";
    }

    /** SIGHUP to the master: new workers with the configuration (and CRL) read again. */
    public void reload() throws Exception {
        Peers.Result r = Peers.run(dir, "kill", "-HUP", String.valueOf(process.pid()));
        if (r.exit() != 0) fail("kill -HUP failed: " + r.all());
        Thread.sleep(1000);
    }

    public String log() {
        try {
            return "\n--- nginx error.log\n" + Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("nginx exited:" + log() + Files.readString(dir.resolve("nginx.out")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("nginx did not listen on " + port + ":" + log());
    }
}
