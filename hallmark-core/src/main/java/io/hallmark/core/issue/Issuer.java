package io.hallmark.core.issue;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Issues one device certificate: check the request ({@link IssuanceSigner#prepare}), sign through the vault
 * and validate against the profile ({@link IssuanceSigner#sign}), record durably with its audit entry
 * ({@link IssuanceRecorder#commit}), and only then return it. Factory batches run the same three steps over
 * chunks; nothing here is a rule of its own.
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
        return issue(request, (tx, outcomes) -> { });
    }

    /**
     * {@link #issue(IssuanceRequest)}, with {@code alongside} recorded in the transaction that records the certificate
     * (an enrollment's event): one commit per request instead of two, and no event without its certificate.
     */
    public IssuedCertificate issue(IssuanceRequest request, IssuanceRecorder.Alongside alongside) {
        Profile profile = profiles.get().get(request.profile());
        CertificateAuthority ca = cas.get(request.ca());
        List<CertificateAuthority> chain = cas.chain(ca.name());
        // A batch of one: the same signer and recorder as factory batches.
        IssuanceSigner signer = new IssuanceSigner(ca, vaults.open(ca.keyRef()), profile, 1, publication.get());
        IssuanceRecorder recorder = new IssuanceRecorder(store, signer, chain, request.confirmation(), null, clock);
        IssuanceSigner.Prepared prepared = signer.prepare(request.csr(), request.serialNumber(), request.hardwareModuleName(), request.names(),
                request.subject());
        // A device that already holds this identity gets it back; no signature is spent on a replay.
        boolean bound = prepared.deviceId() != null && recorder.bound(List.of(prepared.deviceId())).containsKey(prepared.deviceId());
        CertificateRecord signed = bound ? null : signer.sign(prepared, clock.instant());
        IssuanceRecorder.Outcome outcome = recorder.commit(List.of(new IssuanceRecorder.Item(prepared, signed, null)),
                new IssuanceRecorder.AuditEntry.PerCertificate(request.actor()), alongside).getFirst();
        return switch (outcome) {
            case IssuanceRecorder.Outcome.Recorded(CertificateRecord c) -> new IssuedCertificate(c, chain, false);
            case IssuanceRecorder.Outcome.Replayed(CertificateRecord c) -> new IssuedCertificate(c, chain, true);
            case IssuanceRecorder.Outcome.Refused(HallmarkException reason) -> throw reason;
        };
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
        subject = profile.completedSubject(subject);
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
