package io.hallmark.cli.broker;

import io.hallmark.core.error.HallmarkException;

import java.util.List;

/**
 * A broker's configuration snippet for mutual TLS with Hallmark's device certificates, the certificate's identity
 * as user name: one implementation per broker, each saying what that broker checks and what it does not.
 */
public sealed interface BrokerConfig permits MosquittoConfig, EmqxConfig, HivemqConfig, NginxConfig {

    List<String> TYPES = List.of("mosquitto", "emqx", "hivemq", "nginx");

    /** The name of the snippet in the export directory. */
    String fileName();

    /** Port written when none is given. */
    int defaultPort();

    /**
     * The snippet's text.
     *
     * @param bundle what the devices' certificates chain to, and the publication base URL (null if none)
     */
    String render(Listener listener, TrustBundle bundle);

    /** Whether the broker reads crl.pem (so a changed one must reach it by a reload). */
    boolean readsCrlFile();

    /** A HiveMQ truststore (PKCS#12) is the one extra file; others need none. */
    default boolean needsTruststore() {
        return false;
    }

    static BrokerConfig of(String type) {
        return switch (type == null ? "" : type) {
            case "mosquitto" -> new MosquittoConfig();
            case "emqx" -> new EmqxConfig();
            case "hivemq" -> new HivemqConfig();
            case "nginx" -> new NginxConfig();
            default -> throw HallmarkException.badInput("--type must be one of " + String.join(", ", TYPES) + ", not '" + type + "'");
        };
    }
}
