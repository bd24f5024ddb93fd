package io.hallmark.cli.broker;

/**
 * EMQX 5: an {@code ssl} listener with {@code enable_crl_check}. EMQX does not read crl.pem: it fetches the CRL from
 * the distribution point in each client certificate (Hallmark's publication base URL) and enforces only CRLs that
 * carry an Issuing Distribution Point, which Hallmark's CA-wide CRL of an issuing CA and its partition CRLs do.
 * Neither wss nor QUIC listeners check CRLs (docs.emqx.com, "CRL Check").
 */
public record EmqxConfig() implements BrokerConfig {

    @Override
    public String fileName() {
        return "emqx.conf";
    }

    @Override
    public int defaultPort() {
        return 8883;
    }

    @Override
    public boolean readsCrlFile() {
        return false;
    }

    @Override
    public String render(Listener l, TrustBundle bundle) {
        String where = bundle.baseUrl() == null
                ? """
                # WARNING: no publication base URL is set, so certificates carry no CRL distribution point and EMQX cannot
                # check their revocation. Set one ('hallmark publication --base-url URL') before issuing device certificates.
                """
                : """
                # EMQX fetches each certificate's CRL from its distribution point under %s (the broker must reach it)
                # and checks it again every crl_cache.refresh_interval: a revocation reaches the broker within it.
                """.formatted(bundle.baseUrl());
        return """
                # EMQX 5 listener for devices with Hallmark certificates (hallmark export broker --type emqx).
                # A client must present a certificate chaining to ca.pem (%s); its CN becomes the MQTT user name.
                # EMQX checks revocation on 'ssl' listeners only (not wss, not QUIC), and only against CRLs that carry an
                # Issuing Distribution Point (Hallmark's CA-wide CRL of an issuing CA and its partition CRLs do). It does not
                # read crl.pem, which is here for reference. Connections already open stay open.
                %slisteners.ssl.default {
                  bind = "%s:%d"
                  ssl_options {
                    cacertfile = "%s"
                    certfile = "%s"
                    keyfile = "%s"
                    verify = verify_peer
                    fail_if_no_peer_cert = true
                    enable_crl_check = true
                  }
                }
                mqtt.peer_cert_as_username = cn
                crl_cache.refresh_interval = 1m
                """.formatted(bundle.caNames(), where, l.host(), l.port(), l.caFile(), l.certOr("/etc/emqx/certs/server.pem"),
                l.keyOr("/etc/emqx/certs/server.key"));
    }
}
