package io.hallmark.server.est;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.enroll.Route;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.migrate.MigrationPolicy;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What EST's unauthenticated reads (csrattrs, cacerts) answer a device that key migration policies cover. The device
 * is known by the TLS client certificate it presents, if Hallmark issued it; these answers are public information
 * (a key type, CA certificates), so the certificate is used to pick the answer, not to authorize anything.
 */
final class MigratedDevices {

    /** A device's certificates looked at for its newest on a route: newest first, bounded. */
    private static final int RECENT = 20;

    private final Hallmark hallmark;

    MigratedDevices(Hallmark hallmark) {
        this.hallmark = hallmark;
    }

    /** The key the device should make: its policy's target algorithm, else (no policy, or one this build cannot make) P-256. */
    KeyAlgorithm keyToMake(EnrollmentLabel label, List<X509Certificate> clientChain) {
        String device = device(clientChain).map(CertificateRecord::deviceId).orElse(null);
        Optional<MigrationPolicy> policy = hallmark.migrations().applying(label.name(), label.ca(), label.profile(), device);
        if (policy.isPresent()) {
            try {
                return KeyAlgorithm.parse(policy.get().toAlgorithm());
            } catch (HallmarkException e) {
                return KeyAlgorithm.EC_P256; // a policy stored by a newer version, for an algorithm this one does not know
            }
        }
        return KeyAlgorithm.EC_P256;
    }

    /**
     * The CA whose chain cacerts answers: the label's, or, for a device whose newest current certificate on the label's
     * route or a policy's target is from another CA, that one (a device that moved verifies its new certificate with it).
     */
    String issuingCa(EnrollmentLabel label, List<X509Certificate> clientChain) {
        Optional<CertificateRecord> presented = device(clientChain);
        if (presented.isEmpty() || presented.get().deviceId() == null) return label.ca();
        List<Route> routes = new ArrayList<>(List.of(label.route()));
        routes.addAll(hallmark.migrations().targets(label.name(), label.route()));
        if (routes.size() == 1) return label.ca();
        Instant now = hallmark.clock().instant();
        List<CertificateRecord> recent = hallmark.store().read(tx -> tx.certificates().find(
                new CertificateQuery(presented.get().deviceId(), null, null, null, RECENT)));
        for (CertificateRecord c : recent) {
            if (c.status(now) == CertificateRecord.Status.VALID && routes.contains(new Route(c.caName(), c.profile()))) return c.caName();
        }
        return label.ca();
    }

    private Optional<CertificateRecord> device(List<X509Certificate> clientChain) {
        if (clientChain.isEmpty()) return Optional.empty();
        String serial = Serials.hex(clientChain.getFirst().getSerialNumber());
        return hallmark.store().read(tx -> tx.certificates().find(serial));
    }
}
