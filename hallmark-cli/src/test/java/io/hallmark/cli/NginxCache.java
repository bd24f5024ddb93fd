package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private nginx on a free loopback port caching what Hallmark's plain listener answers ({@code proxy_cache}), as a
 * CDN edge or a caching proxy in front of OCSP and CRLs would: freshness from the answers' own headers (no
 * {@code proxy_cache_valid}), expired entries revalidated with a conditional GET, and whether an answer came from the
 * cache in an {@code X-Cache-Status} header ({@code $upstream_cache_status}: MISS, HIT, EXPIRED, REVALIDATED).
 */
final class NginxCache implements AutoCloseable {

    /** The server block docs/revocation.md shows, with the addresses and the cache directory filled in. */
    static final String SERVER = """
              proxy_cache_path %1$s/cache levels=1:2 keys_zone=revocation:10m max_size=1g inactive=1h use_temp_path=off;
              upstream hallmark {
                server %3$s;
                keepalive 8;
              }
              server {
                listen 127.0.0.1:%2$d;
                location ~ ^/(ocsp|crl|ca)/ {
                  proxy_pass http://hallmark;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_cache revocation;
                  proxy_cache_revalidate on;
                  proxy_cache_lock on;
                  add_header X-Cache-Status $upstream_cache_status always;
                }
              }
            """;

    private final Path dir;
    private final int port;
    private final PeerProcess process;

    private NginxCache(Path dir, int port, PeerProcess process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts nginx in {@code dir} in front of {@code upstream} ({@code 127.0.0.1:PORT}, Hallmark's plain listener). */
    static NginxCache start(Path dir, String upstream) throws Exception {
        Path nginx = Peers.tool("nginx");
        Files.createDirectories(dir.resolve("tmp"));
        int port = PeerProcess.freePort();
        Path conf = Files.writeString(dir.resolve("nginx.conf"), """
                %1$s
                pid %2$s/nginx.pid;
                error_log %2$s/error.log info;
                events { worker_connections 64; }
                http {
                  access_log %2$s/access.log;
                  client_body_temp_path %2$s/tmp/body; proxy_temp_path %2$s/tmp/proxy; fastcgi_temp_path %2$s/tmp/fastcgi;
                  uwsgi_temp_path %2$s/tmp/uwsgi; scgi_temp_path %2$s/tmp/scgi;
                %3$s}
                """.formatted("root".equals(System.getProperty("user.name")) ? "user root;" : "", dir, SERVER.formatted(dir, port, upstream)));
        PeerProcess process = PeerProcess.start(dir, "nginx", port, List.of(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", conf.toString(), "-g", "daemon off;"));
        return new NginxCache(dir, port, process);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** nginx's output, error log and access log, for assertion messages. */
    String log() {
        StringBuilder s = new StringBuilder(process.log());
        for (String file : List.of("error.log", "access.log")) {
            try {
                s.append("\n--- nginx ").append(file).append('\n').append(Files.readString(dir.resolve(file)));
            } catch (java.io.IOException e) {
                // not written yet
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
