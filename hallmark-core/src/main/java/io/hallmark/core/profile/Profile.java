package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

import java.util.List;
import java.util.Map;

/**
 * A certificate profile as data: what the issued certificate must look like. The same record drives the
 * builder (what to put in) and the {@link ProfileValidator} (what must be there), so they cannot drift.
 *
 * @param name                name used by {@code --profile} and EST labels
 * @param kind                CA or end entity
 * @param validity            lifetime of issued certificates; CAs take theirs from the hierarchy
 * @param keyUsage            keyUsage bits by RFC 5280 name, always marked critical
 * @param extendedKeyUsage    EKU by name ({@code clientAuth}) or dotted OID; empty means absent
 * @param requireSerialNumber subject must carry serialNumber (2.5.4.5), the device serial
 * @param onePerDevice        a device has at most one live certificate of this profile (IDevID)
 * @param hardwareModuleName  RFC 4108 otherName in subjectAltName: forbidden, optional or required
 * @param keys                subject keys accepted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Profile(String name, ProfileKind kind, Validity validity, List<String> keyUsage,
                      List<String> extendedKeyUsage, boolean requireSerialNumber, boolean onePerDevice,
                      Presence hardwareModuleName, KeyPolicy keys) {

    public enum Presence { forbidden, optional, required }

    private static final Map<String, Integer> KEY_USAGE = Map.of(
            "digitalSignature", KeyUsage.digitalSignature,
            "contentCommitment", KeyUsage.nonRepudiation,
            "keyEncipherment", KeyUsage.keyEncipherment,
            "dataEncipherment", KeyUsage.dataEncipherment,
            "keyAgreement", KeyUsage.keyAgreement,
            "keyCertSign", KeyUsage.keyCertSign,
            "cRLSign", KeyUsage.cRLSign);

    private static final Map<String, KeyPurposeId> PURPOSES = Map.of(
            "serverAuth", KeyPurposeId.id_kp_serverAuth,
            "clientAuth", KeyPurposeId.id_kp_clientAuth,
            "codeSigning", KeyPurposeId.id_kp_codeSigning,
            "emailProtection", KeyPurposeId.id_kp_emailProtection,
            "timeStamping", KeyPurposeId.id_kp_timeStamping,
            "OCSPSigning", KeyPurposeId.id_kp_OCSPSigning);

    public Profile {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw HallmarkException.badInput("profile name '" + name + "' must be lowercase letters, digits and '-'");
        }
        if (kind == null) {
            throw HallmarkException.badInput("profile " + name + " has no kind");
        }
        keyUsage = List.copyOf(keyUsage == null ? List.of() : keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage == null ? List.of() : extendedKeyUsage);
        hardwareModuleName = hardwareModuleName == null ? Presence.forbidden : hardwareModuleName;
        keys = keys == null ? KeyPolicy.DEFAULT : keys;
        validity = validity == null ? Validity.parse("1y") : validity;
        keyUsageBits(keyUsage); // fail on a typo when the profile is read, not at first issuance
        purposes(extendedKeyUsage);
    }

    @JsonIgnore
    public int keyUsageBits() {
        return keyUsageBits(keyUsage);
    }

    @JsonIgnore
    public List<KeyPurposeId> purposes() {
        return purposes(extendedKeyUsage);
    }

    private static int keyUsageBits(List<String> names) {
        int bits = 0;
        for (String n : names) {
            Integer bit = KEY_USAGE.get(n);
            if (bit == null) {
                throw HallmarkException.badInput("unknown keyUsage '" + n + "' (known: " + String.join(", ", KEY_USAGE.keySet()) + ")");
            }
            bits |= bit;
        }
        return bits;
    }

    private static List<KeyPurposeId> purposes(List<String> names) {
        return names.stream().map(n -> {
            KeyPurposeId id = PURPOSES.get(n);
            if (id != null) {
                return id;
            }
            if (n.matches("[0-2](\\.\\d+)+")) {
                return KeyPurposeId.getInstance(new ASN1ObjectIdentifier(n));
            }
            throw HallmarkException.badInput("unknown extendedKeyUsage '" + n + "' (a name such as clientAuth, or a dotted OID)");
        }).toList();
    }
}
