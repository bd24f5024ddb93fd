package io.hallmark.core.factory;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer for one device, a line of the NDJSON response: emitted only once the certificate is
 * durably recorded (its chunk committed), so a station may burn it into the device as soon as it reads it.
 *
 * @param index        position of the item in the batch, from 0
 * @param status       {@code issued} (new), {@code existing} (the device already had this identity for this
 *                     key: the stored certificate, unchanged) or {@code error}
 * @param certificate  PEM, without the chain (the chain is the same for the whole batch)
 * @param fingerprint  SHA-256 of the certificate's DER, hex
 * @param keySha256    SHA-256 of the certificate's SubjectPublicKeyInfo, hex (the device key's identifier)
 * @param notAfter     ISO-8601
 * @param errorKind    BAD_INPUT, CONFLICT, FORBIDDEN or INTERNAL, as {@link io.hallmark.core.HallmarkException.Kind}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FactoryResult(long index, String deviceSerial, String status, String serial, String certificate,
                            String fingerprint, String keySha256, String notAfter, String error, String errorKind) {

    public static final String ISSUED = "issued";
    public static final String EXISTING = "existing";
    public static final String ERROR = "error";

    public boolean ok() {
        return !ERROR.equals(status);
    }
}
