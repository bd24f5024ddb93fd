package io.hallmark.cli.broker;

/**
 * Mosquitto 2: a listener that requires a client certificate, takes its CN as user name and checks the device's CA's
 * CRL (OpenSSL's X509_V_FLAG_CRL_CHECK: the leaf only). Mosquitto reads crlfile at start and when it gets SIGHUP,
 * not per connection (BrokerBundleTest holds 2.0.11 to that), so a fresh crl.pem needs a reload. Mosquitto takes
 * comments on lines of their own only.
 */
public record MosquittoConfig() implements BrokerConfig {

    @Override
    public String fileName() {
        return "mosquitto.conf";
    }

    @Override
    public int defaultPort() {
        return 8883;
    }

    @Override
    public boolean readsCrlFile() {
        return true;
    }

    @Override
    public String render(Listener l, TrustBundle bundle) {
        return """
                # Mosquitto listener for devices with Hallmark certificates (hallmark export broker --type mosquitto).
                # A client must present a certificate chaining to ca.pem (%s); its CN becomes the MQTT user name.
                # Mosquitto reads crlfile at start and on SIGHUP, not per connection: 'hallmark export broker --watch
                # --reload-pid FILE' rewrites crl.pem when revocations change it and sends SIGHUP. A device's CA with no
                # unexpired CRL in crl.pem means every device of it is refused. Connections already open stay open.
                listener %d %s
                cafile %s
                certfile %s
                keyfile %s
                require_certificate true
                use_identity_as_username true
                crlfile %s
                """.formatted(bundle.caNames(), l.port(), l.host(), l.caFile(), l.certOr("/etc/mosquitto/certs/broker.pem"),
                l.keyOr("/etc/mosquitto/certs/broker.key"), l.crlFile());
    }
}
