package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private nginx on a free loopback port, its server configured by {@code hallmark export broker --type nginx}: client
 * certificates required and checked against the exported ca.pem and crl.pem, the caller passed to a backend (a second
 * server block here that answers 200). {@link #refresh()} runs the export again and reloads nginx by its pid file.
 */
public final class NginxMutualTls implements AutoCloseable {

    private final Path data;
    private final Path dir;
    private final int port;
    private final List<String> export;
    private final PeerProcess process;

    private NginxMutualTls(Path data, Path dir, int port, List<String> export, PeerProcess process) {
        this.data = data;
        this.dir = dir;
        this.port = port;
        this.export = export;
        this.process = process;
    }

    public static NginxMutualTls exported(Path data, Path dir, Path certfile, Path keyfile) throws Exception {
        Path nginx = Peers.tool("nginx");
        Files.createDirectories(dir.resolve("tmp"));
        int port = PeerProcess.freePort();
        int backend = PeerProcess.freePort();
        List<String> export = List.of("export", "broker", "--type", "nginx", "--out", dir.toString(), "--listen", "127.0.0.1:" + port,
                "--server-cert", certfile.toString(), "--server-key", keyfile.toString(), "--backend", "http://127.0.0.1:" + backend);
        Cli.ok(data, export.toArray(String[]::new));
        Path conf = Files.writeString(dir.resolve("main.conf"), """
                %1$s
                pid %2$s/nginx.pid;
                error_log %2$s/error.log info;
                events { worker_connections 64; }
                http {
                  access_log %2$s/access.log;
                  client_body_temp_path %2$s/tmp/body; proxy_temp_path %2$s/tmp/proxy; fastcgi_temp_path %2$s/tmp/fastcgi;
                  uwsgi_temp_path %2$s/tmp/uwsgi; scgi_temp_path %2$s/tmp/scgi;
                  include %2$s/nginx.conf;
                  server {
                    listen 127.0.0.1:%3$d;
                    location / { default_type text/plain; return 200 "hello $http_x_client_subject\\n"; }
                  }
                }
                """.formatted("root".equals(System.getProperty("user.name")) ? "user root;" : "", dir, backend));
        PeerProcess process = PeerProcess.start(dir, "nginx", port, List.of(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", conf.toString(), "-g", "daemon off;"));
        return new NginxMutualTls(data, dir, port, export, process);
    }

    public String url() {
        return "https://127.0.0.1:" + port + "/";
    }

    /** The export again, and nginx told by its pid file (SIGHUP to the master: new workers with the CRL read again). */
    public void refresh() throws Exception {
        List<String> args = new ArrayList<>(export);
        args.addAll(List.of("--reload-pid", dir.resolve("nginx.pid").toString()));
        Cli.ok(data, args.toArray(String[]::new));
        Thread.sleep(1000);
    }

    public String log() {
        try {
            return process.log() + "\n--- nginx error.log\n" + Files.readString(dir.resolve("error.log"));
        } catch (java.io.IOException e) {
            return process.log();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
