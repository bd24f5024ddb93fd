package io.hallmark.core.factory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * One device to provision: a line of the NDJSON request body of {@code /api/v1/factory/...}, a frame of
 * its binary form ({@link io.hallmark.core.factory.wire.Frames}), a row of the CLI's CSV, or a file of its CSR directory.
 * <p>
 * The CSR is kept in the form it came in: text ({@link #FactoryItem(String, String, String, String, String)},
 * what NDJSON and CSV carry) or DER ({@link #withDer}, what frames, DER files and the simulator carry).
 * Each form is converted to the other only when something asks for it, so the binary wire never pays
 * for base64 and the text wire never pays for a decode the signer would do anyway.
 *
 * <ul>
 *   <li>{@code deviceSerial}: the device's serial number, which becomes the subject serialNumber (required)</li>
 *   <li>{@code csr}: PKCS#10: PEM text, or the DER in base64 (NDJSON); a byte string holding the DER (frames)</li>
 *   <li>{@code hwType}: RFC 4108 hardwareModuleName hwType, dotted OID (with hwSerial, or neither)</li>
 *   <li>{@code hwSerial}: hwSerialNum, hex</li>
 *   <li>{@code keyStorage}: where the device keeps its key: {@code secure-element}, {@code tpm} or {@code software}</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonPropertyOrder({"deviceSerial", "csr", "hwType", "hwSerial", "keyStorage"})
public final class FactoryItem {

    public static final Set<String> KEY_STORAGE = Set.of("secure-element", "tpm", "software");

    private final String deviceSerial;
    private final String csrText; // as given: PEM, or the DER in base64; null when given as DER
    private final byte[] csrDer;  // as given; null when given as text
    private final String hwType;
    private final String hwSerial;
    private final String keyStorage;

    /** An item whose CSR is text: PEM, or the DER in base64 (NDJSON, CSV). */
    @JsonCreator
    public FactoryItem(@JsonProperty("deviceSerial") String deviceSerial, @JsonProperty("csr") String csr, @JsonProperty("hwType") String hwType,
                       @JsonProperty("hwSerial") String hwSerial, @JsonProperty("keyStorage") String keyStorage) {
        this(deviceSerial, csr, null, hwType, hwSerial, keyStorage);
    }

    private FactoryItem(String deviceSerial, String csrText, byte[] csrDer, String hwType, String hwSerial, String keyStorage) {
        this.deviceSerial = deviceSerial;
        this.csrText = csrText;
        this.csrDer = csrDer;
        this.hwType = hwType;
        this.hwSerial = hwSerial;
        this.keyStorage = keyStorage;
    }

    /** An item whose CSR is DER (frames, DER files, the simulator): held as given, not copied. */
    public static FactoryItem withDer(String deviceSerial, byte[] csrDer, String hwType, String hwSerial, String keyStorage) {
        return new FactoryItem(deviceSerial, null, csrDer, hwType, hwSerial, keyStorage);
    }

    @JsonProperty("deviceSerial")
    public String deviceSerial() {
        return deviceSerial;
    }

    /** The CSR as text: as given, or (given as DER) its base64, computed on each call; null if there is none. */
    @JsonProperty("csr")
    public String csr() {
        if (csrText == null && csrDer != null) {
            return Base64.getEncoder().encodeToString(csrDer);
        }
        return csrText;
    }

    @JsonProperty("hwType")
    public String hwType() {
        return hwType;
    }

    @JsonProperty("hwSerial")
    public String hwSerial() {
        return hwSerial;
    }

    @JsonProperty("keyStorage")
    public String keyStorage() {
        return keyStorage;
    }

    /** Whether the CSR is held as DER, so {@link #csrDer()} costs nothing. */
    public boolean hasDer() {
        return csrDer != null;
    }

    /** The CSR's bytes, PEM or DER, for {@link io.hallmark.core.issue.CheckedCsr}: whichever is cheapest from what was given. */
    public byte[] csrBytes() {
        if (csrDer != null) {
            if (csrDer.length == 0) {
                throw HallmarkException.badInput("item has no csr");
            }
            return csrDer;
        }
        if (csrText == null || csrText.isBlank()) {
            throw HallmarkException.badInput("item has no csr");
        }
        if (csrText.contains("-----BEGIN")) {
            return csrText.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(csrText);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("csr is neither PEM nor base64 DER");
        }
    }

    /** The CSR's DER (what {@link io.hallmark.core.factory.wire.Frames} sends): as given, or decoded from the PEM or base64 text. */
    public byte[] csrDer() {
        if (csrDer != null) {
            return csrDer;
        }
        if (csrText != null && csrText.contains("-----BEGIN CERTIFICATE REQUEST-----")) {
            return Pem.derOfSingle(csrText, "CERTIFICATE REQUEST");
        }
        return io.hallmark.core.issue.CheckedCsr.der(csrBytes());
    }

    /** Checks the fields that need no crypto; the CSR itself is checked by the signer. */
    public HardwareModuleName validated() {
        if (deviceSerial == null || deviceSerial.isBlank()) {
            throw HallmarkException.badInput("item has no deviceSerial");
        }
        if (keyStorage != null && !KEY_STORAGE.contains(keyStorage)) {
            throw HallmarkException.badInput("keyStorage '" + keyStorage + "' is not one of secure-element, tpm, software");
        }
        if (hwType == null && hwSerial == null) {
            return null;
        }
        if (hwType == null || hwSerial == null) {
            throw HallmarkException.badInput("hwType and hwSerial go together");
        }
        return HardwareModuleName.parse(hwType, hwSerial);
    }

    /** Equal when every field is, the CSR compared as given (text with text, DER with DER). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FactoryItem i && Objects.equals(deviceSerial, i.deviceSerial) && Objects.equals(csrText, i.csrText)
                && Arrays.equals(csrDer, i.csrDer) && Objects.equals(hwType, i.hwType) && Objects.equals(hwSerial, i.hwSerial)
                && Objects.equals(keyStorage, i.keyStorage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceSerial, csrText, Arrays.hashCode(csrDer), hwType, hwSerial, keyStorage);
    }

    @Override
    public String toString() {
        return "FactoryItem[deviceSerial=" + deviceSerial + ", csr=" + (csrDer != null ? csrDer.length + " bytes DER" : csrText == null ? null
                : csrText.length() + " characters") + ", hwType=" + hwType + ", hwSerial=" + hwSerial + ", keyStorage=" + keyStorage + "]";
    }
}
