package io.hallmark.cli.broker;

/**
 * HiveMQ Community Edition: a TLS listener that requires a client certificate chaining to the truststore. It has no
 * setting for CRL or OCSP checks of client certificates, nor one that takes the certificate's identity as user
 * name: both need an extension. The snippet says so, and what to do instead.
 */
public record HivemqConfig() implements BrokerConfig {

    /** Protects the truststore's integrity only: it holds public certificates. HiveMQ wants one. */
    public static final String TRUSTSTORE_PASSWORD = "changeit";
    public static final String TRUSTSTORE_FILE = "truststore.p12";

    @Override
    public String fileName() {
        return "hivemq-config.xml";
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
    public boolean needsTruststore() {
        return true;
    }

    @Override
    public String render(Listener l, TrustBundle bundle) {
        String cert = l.certOr("server.pem");
        String key = l.keyOr("server.key");
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- HiveMQ CE listener for devices with Hallmark certificates (written by hallmark export broker, type hivemq).
                     A client must present a certificate chaining to %s (%s).

                     HiveMQ CE DOES NOT CHECK REVOCATION: a revoked device certificate is let in until it expires. Instead:
                     - issue short-lived LDevIDs (the device agent renews them over EST), so a revoked one stops working soon;
                     - or add an extension (HiveMQ Extension SDK: an authenticator that reads the client certificate and asks
                       Hallmark's OCSP responder, or checks crl.pem);
                     - or put a broker that checks in front: Mosquitto or EMQX, whose configurations hallmark export broker writes too.
                     HiveMQ CE has no setting for the certificate's identity as user name either: that takes an extension too.

                     The keystore holds the broker's own key: openssl pkcs12 -export -in %s -inkey %s -out broker.p12 -->
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <tls>
                                <keystore>
                                    <path>broker.p12</path>
                                    <password>CHANGE-ME</password>
                                    <private-key-password>CHANGE-ME</private-key-password>
                                </keystore>
                                <truststore>
                                    <path>%s</path>
                                    <password>%s</password>
                                </truststore>
                                <client-authentication-mode>REQUIRED</client-authentication-mode>
                            </tls>
                        </tls-tcp-listener>
                    </listeners>
                </hivemq>
                """.formatted(l.dir().resolve(TRUSTSTORE_FILE), bundle.caNames(), cert, key, l.port(), l.host(),
                l.dir().resolve(TRUSTSTORE_FILE), TRUSTSTORE_PASSWORD);
    }
}
