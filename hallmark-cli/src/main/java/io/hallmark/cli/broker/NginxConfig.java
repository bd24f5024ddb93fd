package io.hallmark.cli.broker;

/**
 * nginx as an HTTPS backend in front of an application: it requires a client certificate, checks the CRL of every
 * CA in the chain (nginx sets OpenSSL's CRL_CHECK_ALL, so crl.pem holds the root's CRL too) and passes the
 * certificate's subject on. nginx reads ssl_crl at start and reload ({@code nginx -s reload}, or SIGHUP to the
 * master process).
 */
public record NginxConfig() implements BrokerConfig {

    @Override
    public String fileName() {
        return "nginx.conf";
    }

    @Override
    public int defaultPort() {
        return 443;
    }

    @Override
    public boolean readsCrlFile() {
        return true;
    }

    @Override
    public String render(Listener l, TrustBundle bundle) {
        return """
                # nginx server for devices with Hallmark certificates (hallmark export broker --type nginx): include it in http { }.
                # A client must present a certificate chaining to ca.pem (%s). nginx checks the CRL of every CA of the
                # chain in ssl_crl, reads it at start and reload ('nginx -s reload', or SIGHUP to the master), and refuses
                # every client once one of them has expired: 'hallmark export broker --watch' keeps it fresh.
                # The backend learns who called from X-Client-Subject (RFC 2253), X-Client-Serial and X-Client-Verify;
                # proxy_set_header replaces any such header a client sent.
                server {
                    listen %s:%d ssl;
                    ssl_certificate     %s;
                    ssl_certificate_key %s;
                    ssl_client_certificate %s;
                    ssl_verify_client on;
                    ssl_verify_depth %d;
                    ssl_crl %s;

                    location / {
                        proxy_pass %s;
                        proxy_set_header X-Client-Subject $ssl_client_s_dn;
                        proxy_set_header X-Client-Serial  $ssl_client_serial;
                        proxy_set_header X-Client-Verify  $ssl_client_verify;
                    }
                }
                """.formatted(bundle.caNames(), l.host(), l.port(), l.certOr("/etc/nginx/certs/server.pem"),
                l.keyOr("/etc/nginx/certs/server.key"), l.caFile(), bundle.depth(), l.crlFile(),
                l.backend() == null ? "http://127.0.0.1:8000" : l.backend());
    }
}
