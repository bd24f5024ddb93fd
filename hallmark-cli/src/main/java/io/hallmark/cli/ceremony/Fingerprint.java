package io.hallmark.cli.ceremony;

import io.hallmark.core.crypto.Fingerprints;

import java.util.HexFormat;

/** Fingerprints as OpenSSL prints them, so an operator compares what Hallmark wrote with what {@code openssl} says. */
final class Fingerprint {

    private Fingerprint() {
    }

    /** {@code openssl x509 -fingerprint -sha256 -noout}: uppercase hex, colon-separated. */
    static String colonHex(byte[] der) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(Fingerprints.sha256(der));
    }
}
