package io.hallmark.core.enroll;

import io.hallmark.core.authorize.Grant;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.Issuer;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IEEE 802.1AR / RFC 7030 §3.3.2: a device proves who it is with its IDevID as the TLS client certificate.
 * The IDevID must chain to one of the label's manufacturer CAs, must not be revoked, and names the
 * device by its subject serialNumber.
 */
public final class IdevidAuthorizer implements EnrollmentAuthorizer {

    private final CaService cas;
    private final Store store;

    public IdevidAuthorizer(CaService cas, Store store) {
        this.cas = cas;
        this.store = store;
    }

    @Override
    public Optional<Grant> authorize(EnrollmentRequest request) {
        Optional<Evidence.ClientCertificateChain> presented = request.evidence(Evidence.ClientCertificateChain.class);
        if (presented.isEmpty() || request.purpose() == EnrollmentRequest.Purpose.RENEW) {
            return Optional.empty();
        }
        X509Certificate leaf = presented.get().leaf();
        List<X509Certificate> anchors = new ArrayList<>();
        EnrollmentPolicy policy = request.policy();
        for (String name : policy.idevidIssuers()) anchors.add(cas.get(name).x509());
        for (String pem : policy.foreignAnchors()) {
            for (byte[] der : Pem.blocks(pem.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE")) anchors.add(Pem.x509(der));
        }
        if (ClientChains.validate(presented.get().chain(), anchors).isEmpty()) {
            throw HallmarkException.forbidden("the client certificate is not an IDevID from a trusted manufacturer CA ("
                    + String.join(", ", policy.idevidIssuers()) + (policy.foreignAnchors().isEmpty() ? "" : " or an imported one")
                    + "), or it is not valid now");
        }
        String serial = Serials.hex(leaf.getSerialNumber());
        Optional<CertificateRecord> known = store.read(tx -> tx.certificates().find(serial));
        if (known.isPresent() && known.get().revocation() != null) {
            throw HallmarkException.forbidden("IDevID " + serial + " is revoked (" + known.get().revocation().reason() + "); the device may not enroll");
        }
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        String deviceId = Issuer.serialNumberOf(subject);
        HardwareModuleName hw = hardwareModuleName(leaf);
        if (deviceId == null) {
            throw HallmarkException.forbidden("the IDevID names no device: its subject has no serialNumber");
        }
        if (store.read(tx -> tx.devices().isBlocked(deviceId))) {
            throw HallmarkException.forbidden("device " + deviceId + " is blocked from enrollment");
        }
        return Optional.of(Grant.of(deviceId, null, hw, "idevid:" + serial));
    }

    static HardwareModuleName hardwareModuleName(X509Certificate cert) {
        try {
            GeneralNames san = GeneralNames.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions(), Extension.subjectAlternativeName);
            if (san == null) return null;
            for (GeneralName name : san.getNames()) {
                Optional<HardwareModuleName> hw = HardwareModuleName.from(name);
                if (hw.isPresent()) return hw.get();
            }
            return null;
        } catch (java.security.cert.CertificateEncodingException e) {
            throw HallmarkException.badInput("unreadable client certificate");
        }
    }
}
