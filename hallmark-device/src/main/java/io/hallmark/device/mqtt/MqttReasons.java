package io.hallmark.device.mqtt;

import org.eclipse.paho.client.mqttv3.MqttException;

import javax.net.ssl.SSLException;

/** Why a broker connection failed, in one line, with what the broker (or its TLS layer) said. */
final class MqttReasons {

    private MqttReasons() {
    }

    /** The broker (not the network) turned the device away: a CONNACK refusal, or a TLS alert about the certificate. */
    static boolean refused(Throwable e) {
        if (e instanceof MqttException m && (m.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED
                || m.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || m.getReasonCode() == MqttException.REASON_CODE_INVALID_CLIENT_ID)) {
            return true;
        }
        return tlsAlert(e) != null;
    }

    /** The alert the peer sent (certificate_revoked, bad_certificate, ...), as JSSE words it; null when there was none. */
    private static String tlsAlert(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().contains("Received fatal alert")) return t.getMessage();
        }
        return null;
    }

    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        String alert = tlsAlert(e);
        if (alert != null) return "refused by the broker during the TLS handshake: " + alert;
        if (e instanceof MqttException m) {
            out.append(switch (m.getReasonCode()) {
                case MqttException.REASON_CODE_NOT_AUTHORIZED -> "refused by the broker: not authorized";
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "refused by the broker: bad user name or password";
                case MqttException.REASON_CODE_INVALID_CLIENT_ID -> "refused by the broker: client id rejected";
                case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> "refused by the broker: server unavailable";
                case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "cannot reach the broker";
                case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "no answer from the broker in time";
                case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
                default -> String.valueOf(m.getMessage());
            });
        } else {
            out.append(e == null ? "closed" : String.valueOf(e.getMessage()));
        }
        String root = null;
        for (Throwable t = e == null ? null : e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) root = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        if (root != null) out.append(" (").append(root.replace('\n', ' ')).append(')');
        return out.toString();
    }
}
