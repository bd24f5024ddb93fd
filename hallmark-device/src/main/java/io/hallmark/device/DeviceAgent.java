package io.hallmark.device;

import io.hallmark.core.crypto.CsrAttributes;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.inventory.CertificateKeyAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.Set;

/**
 * The device side of the LDevID life cycle: enroll once with the IDevID, then re-enroll with the current
 * LDevID whenever the renewal policy says so. Every (re-)enrollment uses a fresh key made here, of the type the
 * server's CSR attributes ask for (a key migration policy moves a device to another algorithm that way), P-256 when
 * they name none.
 */
public final class DeviceAgent {

    /** Where the EST server is and how to recognise it. */
    public record Server(URI uri, String label, List<X509Certificate> anchors) {
        public Server {
            anchors = List.copyOf(anchors);
        }
    }

    public enum Action { ENROLLED, RENEWED, NOT_DUE }

    public record Outcome(Action action, LdevidState.Stored ldevid, Instant renewAfter) {
    }

    private final Server server;
    private final LdevidState state;
    private final Clock clock;
    private final Consumer<String> log;

    public DeviceAgent(Server server, LdevidState state, Clock clock) {
        this(server, state, clock, line -> { });
    }

    /** @param log where the agent says which key it makes and why, and what of the CSR attributes it ignored */
    public DeviceAgent(Server server, LdevidState state, Clock clock, Consumer<String> log) {
        this.server = server;
        this.state = state;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Obtains an LDevID with the IDevID as TLS client certificate and makes it current.
     *
     * @param subject the subject to ask for; null to ask for the IDevID's (the server adds the device serialNumber)
     */
    public Outcome enroll(DeviceCredential idevid, X500Name subject, RenewalPolicy policy) {
        X500Name asked = subject != null ? subject : X500Name.getInstance(idevid.certificate().getSubjectX500Principal().getEncoded());
        LdevidState.Stored stored = obtain(idevid, asked, false);
        return new Outcome(Action.ENROLLED, stored, policy.renewAfter(stored.certificate()));
    }

    /** Renews the current LDevID if the policy says it is due (or {@code force}), authenticated by it. */
    public Outcome reenroll(RenewalPolicy policy, boolean force) {
        LdevidState.Stored current = state.current().orElseThrow(() -> HallmarkException.notFound(
                "no LDevID in " + state.directory() + ": run 'hallmark device enroll' first"));
        Instant now = clock.instant();
        if (!force && !policy.due(current.certificate(), now)) {
            return new Outcome(Action.NOT_DUE, current, policy.renewAfter(current.certificate()));
        }
        if (now.isAfter(current.certificate().getNotAfter().toInstant())) {
            throw HallmarkException.forbidden("the LDevID in " + current.directory() + " expired at " + current.certificate().getNotAfter().toInstant()
                    + "; it cannot authenticate re-enrollment: enroll again with the IDevID");
        }
        if (!presentableInTls(current.certificate())) {
            throw HallmarkException.conflict("the LDevID in " + current.directory() + " has an " + CertificateKeyAlgorithm.of(encoded(current.certificate()))
                    + " key, which this agent's TLS (JDK 25) cannot present as a client certificate: renew it through the IDevID"
                    + " ('hallmark device enroll'; 'hallmark device run' does so by itself)");
        }
        X500Name subject = X500Name.getInstance(current.certificate().getSubjectX500Principal().getEncoded());
        LdevidState.Stored renewed = obtain(current.credential(), subject, true);
        return new Outcome(Action.RENEWED, renewed, policy.renewAfter(renewed.certificate()));
    }

    private LdevidState.Stored obtain(DeviceCredential credential, X500Name subject, boolean renewal) {
        try (EstClient est = new EstClient(server.uri(), server.label(), server.anchors(), credential)) {
            List<X509Certificate> caChain = est.cacerts(); // RFC 7030 §4.1.1: current CA certificates before enrolling
            KeyAlgorithm algorithm = keyToMake(est, credential);
            KeyPair keys = algorithm.generate();
            byte[] csr = Csrs.create(keys, algorithm, subject);
            X509Certificate issued = renewal ? est.simpleReenroll(csr, keys.getPublic()) : est.simpleEnroll(csr, keys.getPublic());
            if (!issued.getIssuerX500Principal().equals(caChain.getFirst().getSubjectX500Principal())) {
                // Moved to another CA (a migration policy's target): cacerts now answers with that CA's chain.
                caChain = est.cacerts();
                log.accept("the new certificate is from " + X500Name.getInstance(issued.getIssuerX500Principal().getEncoded()) + "; CA chain read again");
            }
            verify(issued, caChain, clock.instant());
            return state.replace(issued, keys, caChain);
        }
    }

    /**
     * The key the server's CSR attributes ask for (RFC 7030 §4.5); P-256 when they name none this agent can make, or
     * cannot be read. A change from the current certificate's key is logged: that is a migration.
     */
    private KeyAlgorithm keyToMake(EstClient est, DeviceCredential credential) {
        String current = CertificateKeyAlgorithm.of(encoded(credential.certificate()));
        CsrAttributes.Requested requested;
        try {
            byte[] der = est.csrattrs();
            requested = der.length == 0 ? new CsrAttributes.Requested(Optional.empty(), List.of()) : CsrAttributes.read(der);
        } catch (HallmarkException | IllegalArgumentException e) {
            log.accept("csrattrs unreadable, making a " + KeyAlgorithm.EC_P256 + " key: " + e.getMessage());
            return KeyAlgorithm.EC_P256;
        }
        for (String oid : requested.ignored()) log.accept("csrattrs: ignoring " + oid + " (not a key type or attribute this agent knows)");
        KeyAlgorithm algorithm = requested.key().orElse(KeyAlgorithm.EC_P256);
        if (!algorithm.id().equals(current)) {
            log.accept("csrattrs asks for an " + algorithm + " key; the current certificate has an " + current + " key: moving to " + algorithm);
        }
        return algorithm;
    }

    /**
     * Whether JDK 25's TLS can sign a CertificateVerify with this certificate's key: not for ML-DSA, SLH-DSA or composite
     * keys, which TLS 1.3 has no signature schemes for yet in the JDK (nor in OpenSSL 3.0). Such an LDevID is still a valid
     * identity for stacks that have them; this agent renews it through the IDevID.
     */
    public static boolean presentableInTls(X509Certificate certificate) {
        String id = CertificateKeyAlgorithm.of(encoded(certificate));
        try {
            return !KeyAlgorithm.parse(id).postQuantum();
        } catch (HallmarkException e) {
            return true; // a key this agent cannot name: let the TLS stack decide
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            return new byte[0];
        }
    }

    /** Keeps nothing the CA chain does not vouch for: a misconfigured label would otherwise surface only at the broker. */
    static void verify(X509Certificate issued, List<X509Certificate> caChain, Instant now) {
        X509Certificate root = caChain.getLast();
        if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "the server's cacerts chain does not end in a root certificate");
        }
        try {
            List<X509Certificate> path = new ArrayList<>();
            path.add(issued);
            path.addAll(caChain.subList(0, caChain.size() - 1));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            params.setRevocationEnabled(false); // just issued; the device has no CRL yet
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL,
                    "the issued certificate does not chain to the server's CA certificates: " + e.getMessage(), e);
        }
    }
}
