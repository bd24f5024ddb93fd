package io.hallmark.core.issue;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.DeviceRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Issues device certificates: check the request, build from the profile, sign through the vault,
 * validate against the profile, record durably with its audit entry, and only then return it.
 */
public final class Issuer {

    private final Store store;
    private final KeyVaults vaults;
    private final CaService cas;
    private final Supplier<Profiles> profiles;
    private final Clock clock;
    private final Supplier<Publication> publication;

    public Issuer(Store store, KeyVaults vaults, CaService cas, Supplier<Profiles> profiles, Clock clock) {
        this(store, vaults, cas, profiles, clock, () -> Publication.NONE);
    }

    /** @param publication where CRLs and OCSP live, for the CDP and AIA of new certificates */
    public Issuer(Store store, KeyVaults vaults, CaService cas, Supplier<Profiles> profiles, Clock clock, Supplier<Publication> publication) {
        this.store = store;
        this.vaults = vaults;
        this.cas = cas;
        this.profiles = profiles;
        this.clock = clock;
        this.publication = publication;
    }

    public IssuedCertificate issue(IssuanceRequest request) {
        Profile profile = profiles.get().get(request.profile());
        CertificateAuthority ca = cas.get(request.ca());
        // A batch of one: the same signer as factory batches, checking every signature it makes.
        IssuanceSigner signer = new IssuanceSigner(ca, vaults.open(ca.keyRef()), profile, 1, publication.get());
        IssuanceSigner.Prepared prepared = signer.prepare(request.csr(), request.serialNumber(), request.hardwareModuleName(), request.names());
        String deviceId = prepared.deviceId();
        HardwareModuleName hw = prepared.hardwareModuleName();
        String keyId = prepared.keyId();
        if (profile.onePerDevice()) {
            Optional<CertificateRecord> replay = store.inTransaction(tx -> existingIdentity(tx, deviceId, profile, keyId, ca));
            if (replay.isPresent()) {
                return new IssuedCertificate(replay.get(), cas.chain(ca.name()), true);
            }
        }

        List<CertificateAuthority> chain = cas.chain(ca.name());
        CertificateRecord record = signer.sign(prepared, clock.instant());
        Instant now = record.issuedAt();

        return store.inTransaction(tx -> {
            if (profile.onePerDevice()) {
                // Checked again inside the writing transaction: another node may have won the race.
                Optional<CertificateRecord> replay = existingIdentity(tx, deviceId, profile, keyId, ca);
                if (replay.isPresent()) {
                    return new IssuedCertificate(replay.get(), chain, true);
                }
            }
            IssuanceRules.requireUnrevokedChain(tx, chain);
            IssuanceRules.Decision rules = IssuanceRules.decide(tx, ca.name(), List.of(new IssuanceRules.Candidate(deviceId, hw)));
            if (rules.refusal(0) != null) {
                throw rules.refusal(0);
            }
            request.confirmation().confirm(tx);
            if (deviceId != null) {
                tx.devices().ensure(new DeviceRecord(deviceId, now, hw == null ? null : hw.hwType().getId(), hw == null ? null : hw.hwSerialHex()));
            }
            if (rules.claim(0) != null) {
                tx.devices().claimHardwareModules(List.of(rules.claim(0)));
            }
            tx.certificates().insert(record);
            if (profile.onePerDevice()) {
                tx.devices().bindIdentity(deviceId, profile.name(), record.serial());
            }
            tx.audit().append(request.actor(), AuditEvent.of("cert.issue", record.serial(),
                    "ca", ca.name(), "profile", profile.name(), "device", deviceId, "subject", record.subject(),
                    "key", prepared.keyDescription(), "sha256", record.fingerprint(),
                    "hardwareModuleName", hw == null ? null : hw.hwType().getId() + ":" + hw.hwSerialHex()), now);
            return new IssuedCertificate(record, chain, false);
        });
    }

    /** Transactions do not nest: this reads through {@code tx} only. */
    private static Optional<CertificateRecord> existingIdentity(Tx tx, String deviceId, Profile profile, String keyId, CertificateAuthority ca) {
        Optional<String> serial = tx.devices().identity(deviceId, profile.name());
        if (serial.isEmpty()) {
            return Optional.empty();
        }
        CertificateRecord existing = tx.certificates().find(serial.get()).orElseThrow();
        return Optional.of(IssuanceRules.replay(existing, deviceId, profile.name(), keyId, ca.name()));
    }

    /** Refuses, before signing, a CA whose key signs with an algorithm the profile does not allow (keys.signatureAlgorithms). */
    static void requireSignatureAlgorithm(Profile profile, CertificateAuthority ca, KeyHandle key) {
        String refusal = profile.keys().signatureRefusal(key.signer().getAlgorithmIdentifier());
        if (refusal != null) {
            throw HallmarkException.badInput("CA " + ca.name() + " cannot issue profile " + profile.name() + ": its certificates would be " + refusal);
        }
    }

    /** The CSR's subject, with the device serial number the caller gave added or confirmed. */
    static X500Name subject(X500Name requested, String serialNumber, Profile profile) {
        String inCsr = serialNumberOf(requested);
        X500Name subject = requested;
        if (serialNumber != null) {
            // The same rule as a serialNumber inside a CSR: a PrintableString of 1 to 64 characters (X.520).
            if (!io.hallmark.core.profile.SubjectRules.X520.attribute(BCStyle.SERIALNUMBER).accepts(serialNumber)) {
                throw HallmarkException.badInput("serial number '" + serialNumber + "' must be 1 to 64 printable characters (letters, digits, space, '()+,-./:=?)");
            }
            if (inCsr != null && !inCsr.equals(serialNumber)) {
                throw HallmarkException.badInput("the CSR's subject serialNumber '" + inCsr + "' differs from the serial number given, '" + serialNumber + "'");
            }
            if (inCsr == null) {
                X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
                for (RDN rdn : requested.getRDNs()) {
                    builder.addMultiValuedRDN(rdn.getTypesAndValues());
                }
                subject = builder.addRDN(BCStyle.SERIALNUMBER, serialNumber).build();
            }
        }
        if (profile.requireSerialNumber() && serialNumberOf(subject) == null) {
            throw HallmarkException.badInput("profile " + profile.name() + " needs the device serial number: give --serial-number or put serialNumber in the CSR subject");
        }
        if (subject.getRDNs().length == 0) {
            throw HallmarkException.badInput("the CSR has an empty subject and no serial number was given");
        }
        // The subject template's required and fixed attributes, on the subject as it will be signed (serialNumber added).
        List<String> template = profile.subjectViolations(subject);
        if (!template.isEmpty()) {
            throw HallmarkException.badInput(template.getFirst());
        }
        return subject;
    }

    /** The subject's serialNumber (2.5.4.5), the device id; null if absent. */
    public static String serialNumberOf(X500Name name) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(BCStyle.SERIALNUMBER)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals((ASN1ObjectIdentifier) BCStyle.SERIALNUMBER)) {
                    values.add(atv.getValue() instanceof org.bouncycastle.asn1.ASN1String text ? text.getString() : IETFUtils.valueToString(atv.getValue()));
                }
            }
        }
        if (values.size() > 1) {
            throw HallmarkException.badInput("the subject has more than one serialNumber");
        }
        return values.isEmpty() ? null : values.getFirst();
    }
}
