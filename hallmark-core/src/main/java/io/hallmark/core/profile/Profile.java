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
 * @param subject             subject template (end entities): declared attributes, by name or OID; null: any X.520 subject
 * @param subjectAltNames     subjectAltName types taken from the request (end entities); null: the built-ins' rule
 * @param basicConstraints    basicConstraints cA FALSE in end-entity certificates; null: absent
 * @param certificatePolicies certificatePolicies entries; empty means absent
 * @param critical            extensions marked critical where RFC 5280 leaves the choice: {@code extendedKeyUsage},
 *                            {@code subjectAltName} (always critical with an empty subject), {@code certificatePolicies}
 * @param revocationPointers  whether certificates carry the CRL distribution point and AIA of the publication (when one is
 *                            set); null means true. False for certificates whose relying parties never follow them and
 *                            whose size counts (Matter NOCs: the TLV form holds 400 bytes); they can still be revoked,
 *                            and OCSP and CRLs still answer for them
 * @param maxBytes            the largest DER encoding a certificate may have (Matter verifiers take at most 600 bytes);
 *                            null for no bound beyond the subject's and extensions' own
 * @param serialBits          random bits in each serial, 63 to 159 (the default: the most 20 octets hold); fewer keeps
 *                            a certificate small (Matter's, which the SDK's own certificates give 8 octets)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Profile(String name, ProfileKind kind, Validity validity, List<String> keyUsage,
                      List<String> extendedKeyUsage, boolean requireSerialNumber, boolean onePerDevice,
                      Presence hardwareModuleName, KeyPolicy keys, SubjectTemplate subject, SubjectAltNamePolicy subjectAltNames,
                      EndEntityBasicConstraints basicConstraints,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CertificatePolicy> certificatePolicies,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> critical,
                      Boolean revocationPointers, Integer maxBytes, Integer serialBits) {

    /** The extensions whose criticality a profile chooses (RFC 5280 §4.2.1.4, §4.2.1.6, §4.2.1.12). */
    public static final List<String> CRITICAL_BY_CHOICE = List.of("extendedKeyUsage", "subjectAltName", "certificatePolicies");

    /** A profile with none of the fields added for templates and policies: what the built-ins are. */
    public Profile(String name, ProfileKind kind, Validity validity, List<String> keyUsage, List<String> extendedKeyUsage,
                   boolean requireSerialNumber, boolean onePerDevice, Presence hardwareModuleName, KeyPolicy keys) {
        this(name, kind, validity, keyUsage, extendedKeyUsage, requireSerialNumber, onePerDevice, hardwareModuleName, keys,
                null, null, null, null, null, null, null, null);
    }

    /** Random bits of each serial ({@code serialBits}, by default {@link io.hallmark.core.crypto.Serials#MAX_BITS}). */
    @JsonIgnore
    public int serialBitsOrDefault() {
        return serialBits == null ? io.hallmark.core.crypto.Serials.MAX_BITS : serialBits;
    }

    /** Whether the certificates carry the publication's CRL distribution point and AIA ({@code revocationPointers}, default yes). */
    @JsonIgnore
    public boolean carriesRevocationPointers() {
        return revocationPointers == null || revocationPointers;
    }

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
        certificatePolicies = List.copyOf(certificatePolicies == null ? List.of() : certificatePolicies);
        critical = List.copyOf(critical == null ? List.of() : critical);
        if (serialBits != null && (serialBits < 63 || serialBits > io.hallmark.core.crypto.Serials.MAX_BITS)) {
            throw HallmarkException.badInput("profile " + name + " serialBits " + serialBits + " must be 63 to " + io.hallmark.core.crypto.Serials.MAX_BITS);
        }
        if (maxBytes != null && (maxBytes < 256 || maxBytes > 65_536)) {
            throw HallmarkException.badInput("profile " + name + " maxBytes " + maxBytes + " must be 256 to 65536");
        }
        keyUsageBits(keyUsage); // fail on a typo when the profile is read, not at first issuance
        purposes(extendedKeyUsage);
        checkDeclarations(name, kind, extendedKeyUsage, requireSerialNumber, hardwareModuleName, subject, subjectAltNames,
                basicConstraints, certificatePolicies, critical);
    }

    /** The fields added for templates and policies, checked against each other when the profile is read. */
    private static void checkDeclarations(String name, ProfileKind kind, List<String> eku, boolean requireSerialNumber, Presence hw,
                                          SubjectTemplate subject, SubjectAltNamePolicy sans, EndEntityBasicConstraints bc,
                                          List<CertificatePolicy> policies, List<String> critical) {
        if (kind.isCa() && (subject != null || sans != null || bc != null)) {
            throw HallmarkException.badInput("profile " + name + ": subject, subjectAltNames and basicConstraints are for end-entity profiles"
                    + " (a CA's subject and pathLen come from the hierarchy's CA entry)");
        }
        if (subject != null) {
            subject.rules(name); // a fixed value must pass its own attribute's rule
            if (subject.closed() && requireSerialNumber && !subject.declares(org.bouncycastle.asn1.x500.style.BCStyle.SERIALNUMBER)) {
                throw HallmarkException.badInput("profile " + name + " requires serialNumber but its closed subject template does not declare it");
            }
        }
        if (policies.stream().map(CertificatePolicy::oid).distinct().count() < policies.size()) {
            throw HallmarkException.badInput("profile " + name + " lists a certificate policy twice (RFC 5280 4.2.1.4)");
        }
        for (String c : critical) {
            if (!CRITICAL_BY_CHOICE.contains(c)) {
                throw HallmarkException.badInput("profile " + name + ": critical lists '" + c + "'; a profile chooses criticality only for "
                        + String.join(", ", CRITICAL_BY_CHOICE) + " (keyUsage is always critical, SKI and AKI never)");
            }
        }
        if (critical.contains("extendedKeyUsage") && eku.isEmpty()) {
            throw HallmarkException.badInput("profile " + name + " marks extendedKeyUsage critical but has none");
        }
        if (critical.contains("certificatePolicies") && policies.isEmpty()) {
            throw HallmarkException.badInput("profile " + name + " marks certificatePolicies critical but has none");
        }
        if (critical.contains("subjectAltName") && (sans == null || sans.allowed().isEmpty()) && hw == Presence.forbidden) {
            throw HallmarkException.badInput("profile " + name + " marks subjectAltName critical but allows none");
        }
    }

    /** The rules a CSR's subject passes: {@link SubjectRules#X520}, or the template's declared attributes joined to them. */
    @JsonIgnore
    public SubjectRules subjectRules() {
        return subject == null ? SubjectRules.X520 : subject.rules(name);
    }

    /** {@code dn} with the subject template's fixed attributes it lacks added (the CA sets them); {@code dn} itself without a template. */
    public org.bouncycastle.asn1.x500.X500Name completedSubject(org.bouncycastle.asn1.x500.X500Name dn) {
        return subject == null ? dn : subject.completed(dn, name);
    }

    /** What {@code dn} lacks or carries wrongly for the subject template (required, fixed); empty without a template. */
    public List<String> subjectViolations(org.bouncycastle.asn1.x500.X500Name dn) {
        return subject == null ? List.of() : subject.violations(dn, name);
    }

    /** Whether the profile marks {@code extension} (one of {@link #CRITICAL_BY_CHOICE}) critical. */
    public boolean marksCritical(String extension) {
        return critical.contains(extension);
    }

    /** The certificatePolicies value, or null when the profile lists none. */
    @JsonIgnore
    public org.bouncycastle.asn1.x509.CertificatePolicies policies() {
        return certificatePolicies.isEmpty() ? null : new org.bouncycastle.asn1.x509.CertificatePolicies(
                certificatePolicies.stream().map(CertificatePolicy::toPolicyInformation).toArray(org.bouncycastle.asn1.x509.PolicyInformation[]::new));
    }

    /** Whether end-entity certificates of this profile carry basicConstraints (cA FALSE). */
    @JsonIgnore
    public boolean endEntityBasicConstraints() {
        return !kind.isCa() && basicConstraints != null && basicConstraints.present();
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
