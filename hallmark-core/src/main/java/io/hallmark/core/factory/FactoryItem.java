package io.hallmark.core.factory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.hallmark.core.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * One device to provision: a line of the NDJSON request body of {@code /api/v1/factory/...}, a row of
 * the CLI's CSV, or a file of its CSR directory.
 *
 * @param deviceSerial the device's serial number, which becomes the subject serialNumber (required)
 * @param csr          PKCS#10: PEM text, or the DER in base64
 * @param hwType       RFC 4108 hardwareModuleName hwType, dotted OID (with hwSerial, or neither)
 * @param hwSerial     hwSerialNum, hex
 * @param keyStorage   where the device keeps its key: {@code secure-element}, {@code tpm} or {@code software}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record FactoryItem(String deviceSerial, String csr, String hwType, String hwSerial, String keyStorage) {

    public static final Set<String> KEY_STORAGE = Set.of("secure-element", "tpm", "software");

    /** The CSR's bytes, PEM or DER, for {@link io.hallmark.core.issue.CheckedCsr}. */
    public byte[] csrBytes() {
        if (csr == null || csr.isBlank()) {
            throw HallmarkException.badInput("item has no csr");
        }
        if (csr.contains("-----BEGIN")) {
            return csr.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(csr);
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("csr is neither PEM nor base64 DER");
        }
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
}
