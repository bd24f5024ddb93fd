package io.hallmark.core.enroll;

import io.hallmark.core.access.ClientCertificates;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.authorize.Grant;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.CertificateImporter;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import org.bouncycastle.asn1.x500.X500Name;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A device of a fleet that moved in ({@code hallmark import fleet}) enrolls with the certificate it already has, issued
 * elsewhere, as its TLS client certificate, and gets a Hallmark certificate of the route. Only where an operator opted
 * in: the label lists the imported CA ({@link EnrollmentPolicy#importedIssuers()}); never implicitly. The certificate
 * must chain to that CA, be the very one imported (same bytes, profile {@value CertificateImporter#PROFILE}), be
 * unrevoked and unexpired, and its device not blocked, all read from the store on every request.
 * <p>
 * For a re-enrollment (EST simplereenroll) the new certificate keeps the old subject, as RFC 7030 §4.2.2 asks; for an
 * enrollment the CSR names the subject, held to the device's own serialNumber like an IDevID enrollment.
 */
public final class ImportedCertificateAuthorizer implements EnrollmentAuthorizer {

    private final CaService cas;
    private final Store store;
    private final Clock clock;

    public ImportedCertificateAuthorizer(CaService cas, Store store, Clock clock) {
        this.cas = cas;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<Grant> authorize(EnrollmentRequest request) {
        Optional<Evidence.ClientCertificateChain> presented = request.evidence(Evidence.ClientCertificateChain.class);
        List<String> accepted = request.policy().importedIssuers();
        if (presented.isEmpty() || accepted.isEmpty() || request.purpose() == EnrollmentRequest.Purpose.BATCH) {
            return Optional.empty();
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (String name : accepted) anchors.add(cas.get(name).x509());
        if (ClientChains.validate(presented.get().chain(), anchors).isEmpty()) {
            return Optional.empty(); // not from an imported CA of this label: the other authorizers decide
        }
        X509Certificate leaf = presented.get().leaf();
        String serial = Serials.hex(leaf.getSerialNumber());
        CertificateRecord imported = store.read(tx -> tx.certificates().find(serial)).orElse(null);
        if (imported == null || !imported.profile().equals(CertificateImporter.PROFILE) || !accepted.contains(imported.caName())
                || !imported.fingerprint().equals(fingerprint(leaf))) {
            throw HallmarkException.forbidden("certificate " + serial + " was not imported from " + String.join(", ", accepted)
                    + " ('hallmark import fleet'); only imported certificates enroll on this label");
        }
        ClientCertificates.requireCurrent(imported, serial, "imported certificate", clock.instant(), HallmarkException::forbidden);
        if (imported.deviceId() != null && store.read(tx -> tx.devices().isBlocked(imported.deviceId()))) {
            throw HallmarkException.forbidden("device " + imported.deviceId() + " is blocked from enrollment");
        }
        X500Name subject = request.purpose() == EnrollmentRequest.Purpose.RENEW
                ? X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()) : null;
        return Optional.of(Grant.of(imported.deviceId(), subject, IdevidAuthorizer.hardwareModuleName(leaf), "imported:" + serial));
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            return Fingerprints.sha256Hex(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw HallmarkException.badInput("unreadable client certificate");
        }
    }
}
