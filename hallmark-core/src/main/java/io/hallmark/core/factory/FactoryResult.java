package io.hallmark.core.factory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hallmark.core.crypto.Pem;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer for one device, a line of the NDJSON response or a frame of the binary one: emitted only
 * once the certificate is durably recorded (its chunk committed), so a station may burn it into the device
 * as soon as it reads it.
 * <p>
 * The certificate is kept in the form it was made or received in, DER (the engine, {@link io.hallmark.core.factory.wire.Frames}) or PEM
 * (NDJSON), and converted only when the other form is asked for: a binary response never PEM-encodes.
 *
 * <ul>
 *   <li>{@code index}: position of the item in the batch, from 0</li>
 *   <li>{@code status}: {@code issued} (new), {@code existing} (the device already had this identity for
 *       this key: the stored certificate, unchanged) or {@code error}</li>
 *   <li>{@code certificate}: PEM in NDJSON, DER in frames; without the chain (the same for the whole batch)</li>
 *   <li>{@code fingerprint}: SHA-256 of the certificate's DER, hex</li>
 *   <li>{@code keySha256}: SHA-256 of the certificate's SubjectPublicKeyInfo, hex (the device key's identifier)</li>
 *   <li>{@code notAfter}: ISO-8601</li>
 *   <li>{@code errorKind}: BAD_INPUT, CONFLICT, FORBIDDEN or INTERNAL, as {@link io.hallmark.core.error.HallmarkException.Kind}</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"index", "deviceSerial", "status", "serial", "certificate", "fingerprint", "keySha256", "notAfter", "error", "errorKind"})
public final class FactoryResult {

    public static final String ISSUED = "issued";
    public static final String EXISTING = "existing";
    public static final String ERROR = "error";

    private final long index;
    private final String deviceSerial;
    private final String status;
    private final String serial;
    private volatile String pem; // either or both of these two, filled in when asked for
    private volatile byte[] der;
    private final String fingerprint;
    private final String keySha256;
    private final String notAfter;
    private final String error;
    private final String errorKind;

    /** A result whose certificate (if any) is PEM. */
    @JsonCreator
    public FactoryResult(@JsonProperty("index") long index, @JsonProperty("deviceSerial") String deviceSerial, @JsonProperty("status") String status,
                         @JsonProperty("serial") String serial, @JsonProperty("certificate") String certificate,
                         @JsonProperty("fingerprint") String fingerprint, @JsonProperty("keySha256") String keySha256,
                         @JsonProperty("notAfter") String notAfter, @JsonProperty("error") String error, @JsonProperty("errorKind") String errorKind) {
        this(index, deviceSerial, status, serial, certificate, null, fingerprint, keySha256, notAfter, error, errorKind);
    }

    private FactoryResult(long index, String deviceSerial, String status, String serial, String pem, byte[] der, String fingerprint,
                          String keySha256, String notAfter, String error, String errorKind) {
        this.index = index;
        this.deviceSerial = deviceSerial;
        this.status = status;
        this.serial = serial;
        this.pem = pem;
        this.der = der;
        this.fingerprint = fingerprint;
        this.keySha256 = keySha256;
        this.notAfter = notAfter;
        this.error = error;
        this.errorKind = errorKind;
    }

    /** A result whose certificate (if any) is DER, held as given. */
    public static FactoryResult withDer(long index, String deviceSerial, String status, String serial, byte[] certificateDer,
                                        String fingerprint, String keySha256, String notAfter, String error, String errorKind) {
        return new FactoryResult(index, deviceSerial, status, serial, null, certificateDer, fingerprint, keySha256, notAfter, error, errorKind);
    }

    /** An error result. */
    public static FactoryResult error(long index, String deviceSerial, String error, String errorKind) {
        return new FactoryResult(index, deviceSerial, ERROR, null, null, null, null, null, null, error, errorKind);
    }

    /** The same result at another position (a client renumbering what one connection of several answered). */
    public FactoryResult withIndex(long newIndex) {
        return new FactoryResult(newIndex, deviceSerial, status, serial, pem, der, fingerprint, keySha256, notAfter, error, errorKind);
    }

    public boolean ok() {
        return !ERROR.equals(status);
    }

    @JsonProperty("index")
    public long index() {
        return index;
    }

    @JsonProperty("deviceSerial")
    public String deviceSerial() {
        return deviceSerial;
    }

    @JsonProperty("status")
    public String status() {
        return status;
    }

    @JsonProperty("serial")
    public String serial() {
        return serial;
    }

    /** The certificate as PEM (encoded on first use if it was made as DER); null for an error. */
    @JsonProperty("certificate")
    public String certificate() {
        String p = pem;
        if (p == null && der != null) {
            pem = p = Pem.certificate(der);
        }
        return p;
    }

    /** The certificate's DER (decoded on first use if it came as PEM); null for an error. */
    public byte[] certificateDer() {
        byte[] d = der;
        if (d == null && pem != null) {
            der = d = Pem.derOfSingle(pem, "CERTIFICATE");
        }
        return d;
    }

    @JsonProperty("fingerprint")
    public String fingerprint() {
        return fingerprint;
    }

    @JsonProperty("keySha256")
    public String keySha256() {
        return keySha256;
    }

    @JsonProperty("notAfter")
    public String notAfter() {
        return notAfter;
    }

    @JsonProperty("error")
    public String error() {
        return error;
    }

    @JsonProperty("errorKind")
    public String errorKind() {
        return errorKind;
    }

    /** Equal when every field is; the certificate compared as DER, whichever form each holds. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FactoryResult r && index == r.index && Objects.equals(deviceSerial, r.deviceSerial) && Objects.equals(status, r.status)
                && Objects.equals(serial, r.serial) && Arrays.equals(certificateDer(), r.certificateDer()) && Objects.equals(fingerprint, r.fingerprint)
                && Objects.equals(keySha256, r.keySha256) && Objects.equals(notAfter, r.notAfter) && Objects.equals(error, r.error)
                && Objects.equals(errorKind, r.errorKind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, deviceSerial, status, serial, fingerprint, keySha256, notAfter, error, errorKind);
    }

    @Override
    public String toString() {
        return "FactoryResult[index=" + index + ", deviceSerial=" + deviceSerial + ", status=" + status + ", serial=" + serial
                + ", fingerprint=" + fingerprint + ", keySha256=" + keySha256 + ", notAfter=" + notAfter + ", error=" + error
                + ", errorKind=" + errorKind + "]";
    }
}
