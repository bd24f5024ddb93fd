package io.hallmark.core.enroll;

import io.hallmark.core.authorize.Grant;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.access.ClientCertificates;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import org.bouncycastle.asn1.x500.X500Name;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * RFC 7030 §4.2.2 re-enrollment: the device authenticates with its current LDevID, which must be one
 * Hallmark issued from the label's CA, unexpired and unrevoked; the new certificate keeps its subject.
 */
public final class ReenrollAuthorizer implements EnrollmentAuthorizer {

    private final CaService cas;
    private final Store store;
    private final Clock clock;
    private final KeyRouting routing;

    public ReenrollAuthorizer(CaService cas, Store store, Clock clock) {
        this(cas, store, clock, KeyRouting.NONE);
    }

    /** @param routing migration policies: a device that moved to a policy's target CA keeps re-enrolling on its route */
    public ReenrollAuthorizer(CaService cas, Store store, Clock clock, KeyRouting routing) {
        this.cas = cas;
        this.store = store;
        this.clock = clock;
        this.routing = routing;
    }

    @Override
    public Optional<Grant> authorize(EnrollmentRequest request) {
        Optional<Evidence.ClientCertificateChain> presented = request.evidence(Evidence.ClientCertificateChain.class);
        if (presented.isEmpty() || request.purpose() != EnrollmentRequest.Purpose.RENEW) {
            return Optional.empty();
        }
        X509Certificate leaf = presented.get().leaf();
        List<Route> accepted = new java.util.ArrayList<>(List.of(request.route()));
        for (Route target : routing.targets(request.label(), request.route())) {
            if (!accepted.contains(target)) accepted.add(target);
        }
        List<X509Certificate> anchors = accepted.stream().map(Route::ca).distinct().map(ca -> cas.get(ca).x509()).toList();
        if (ClientChains.validate(presented.get().chain(), anchors).isEmpty()) {
            throw HallmarkException.forbidden("re-enrollment needs the current certificate from " + request.route().ca()
                    + " as the client certificate; this one is not from it, or not valid now");
        }
        String serial = Serials.hex(leaf.getSerialNumber());
        CertificateRecord current = store.read(tx -> tx.certificates().find(serial)).orElse(null);
        ClientCertificates.requireCurrent(current, serial, "client certificate", clock.instant(), HallmarkException::forbidden);
        if (!accepted.contains(new Route(current.caName(), current.profile()))) {
            throw HallmarkException.forbidden("certificate " + serial + " is a " + current.profile() + ", not a " + request.route().profile());
        }
        if (current.deviceId() != null && store.read(tx -> tx.devices().isBlocked(current.deviceId()))) {
            throw HallmarkException.forbidden("device " + current.deviceId() + " is blocked from enrollment");
        }
        return Optional.of(Grant.of(current.deviceId(), X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()),
                IdevidAuthorizer.hardwareModuleName(leaf), "ldevid:" + serial));
    }
}
