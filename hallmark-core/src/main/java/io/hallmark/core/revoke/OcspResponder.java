package io.hallmark.core.revoke;

import io.hallmark.core.error.HallmarkException;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevokedEntry;
import io.hallmark.core.store.SharedConfig;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * OCSP responder engine (RFC 6960), independent of any server: DER request in, DER OCSPResponse out, and
 * never an exception. Requests are matched to a CA by CertID ({@link OcspIssuerIndex}); answers are good,
 * revoked (time and reason) or unknown (no such serial from that CA) ({@link OcspStatusSource}), signed by
 * the CA's delegated responder ({@link OcspResponseSigner}, {@link OcspSigners}).
 *
 * <p>A request for one certificate without a nonce is answered from a bounded cache of pre-produced
 * responses ({@link OcspResponseCache}), so a burst of queries costs no signing. A request with a nonce gets
 * its nonce echoed and therefore a fresh signature, with the status still from cache. Revocation drops
 * cached answers at once in this process ({@link Revoker.Listener}) and within a {@link #poll()} interval on
 * other nodes.
 */
public final class OcspResponder implements Revoker.Listener {

    /** Far above any real request (one CertID with a nonce is ~100 bytes); bounds what we parse. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;
    public static final int MAX_CERT_IDS = 16;
    public static final int DEFAULT_CACHE_SIZE = 100_000;

    private static final byte[] MALFORMED = status(OCSPRespBuilder.MALFORMED_REQUEST);
    private static final byte[] UNAUTHORIZED = status(OCSPRespBuilder.UNAUTHORIZED);
    private static final byte[] INTERNAL_ERROR = status(OCSPRespBuilder.INTERNAL_ERROR);
    private static final System.Logger LOG = System.getLogger(OcspResponder.class.getName());

    /** Counters since start, as GET /api/v1/ocsp/stats shows them (and `hallmark bench ocsp` reports). */
    public record Stats(long requests, long signatures, long preProducedHits, long malformed, long unauthorized) {
    }

    private final Store store;
    private final CaService cas;
    private final OcspSigners signers;
    private final OcspIssuerIndex issuers;
    private final OcspStatusSource statuses;
    private final OcspResponseSigner signer;
    private final OcspResponseCache responses;
    private volatile long seenSeq;
    private final LongAdder requests = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();
    private final OcspQueries queried = new OcspQueries(OcspQueries.DEFAULT_LIMIT);

    public OcspResponder(Store store, CaService cas, KeyVaults vaults, PublicationSettings settings, SharedConfig config, Clock clock,
                         int cacheSize) {
        this.store = store;
        this.cas = cas;
        this.signers = new OcspSigners(store, vaults, clock);
        this.issuers = new OcspIssuerIndex(config);
        Duration validity = settings.current().ocspValidityDuration();
        this.statuses = new OcspStatusSource(store, validity, cacheSize);
        this.signer = new OcspResponseSigner(signers, settings, clock);
        this.responses = new OcspResponseCache(validity, cacheSize, this::preProduce);
        this.seenSeq = store.inTransaction(tx -> tx.certificates().revocationSequence());
    }

    /**
     * Answers a DER OCSPRequest (a POST body, or a GET path the server decoded); may read the store and sign, so it
     * may block. Null (a GET path that did not decode) is answered malformedRequest. Throws only UNAVAILABLE: the
     * store did not answer, so no status can be told, and the front end says so (HTTP 503 with Retry-After) rather
     * than sending internalError, which clients take as final; any other failure is answered internalError.
     */
    public byte[] respond(byte[] der) {
        requests.increment();
        OcspRequest request = OcspRequest.parse(der);
        return request == null ? malformed() : answer(request);
    }

    /**
     * The answer if it costs no blocking: a pre-produced response in cache, or a refusal of a malformed
     * request; otherwise null, and the caller calls {@link #respond} where it may block (a cache miss reads
     * the store, a nonce needs a signature). Lets an event-loop server answer the common case in place.
     * A null costs a second parse in {@link #respond}, which is small beside what follows it there.
     */
    public byte[] respondIfReady(byte[] der) {
        byte[] before = responses.answeredBefore(der, queried);
        if (before != null) {
            requests.increment();
            hits.increment();
            return before;
        }
        OcspRequest request = OcspRequest.parse(der);
        if (request == null) {
            requests.increment();
            return malformed();
        }
        byte[] ready = preProduced(der, request);
        if (ready != null) {
            requests.increment();
        }
        return ready;
    }

    /** The cached response to a one-CertID request without nonce, or null; never blocks (no re-index, no load). */
    private byte[] preProduced(byte[] der, OcspRequest request) {
        if (!request.preProducible()) return null;
        CertificateID id = request.singles()[0].getCertID();
        CertificateAuthority ca = issuers.lastKnown(id);
        if (ca == null) return null;
        queried.add(id.getSerialNumber());
        OcspResponseCache.Key key = OcspResponseCache.Key.of(ca, id);
        OcspResponseCache.PreProduced cached = responses.cached(key);
        byte[] answer = hit(cached, id);
        if (answer != null) {
            responses.remember(der, key, cached);
        }
        return answer;
    }

    /** The cached response if it answers exactly this CertID (counted as a hit), else null. */
    private byte[] hit(OcspResponseCache.PreProduced cached, CertificateID id) {
        byte[] der = cached == null ? null : cached.answers(id);
        if (der != null) hits.increment();
        return der;
    }

    private byte[] answer(OcspRequest request) {
        Req[] singles = request.singles();
        try {
            CertificateAuthority ca = null;
            for (Req single : singles) {
                CertificateAuthority issuer = issuers.issuerOf(single.getCertID());
                // One response has one signer, and a delegated responder speaks for its own CA only.
                if (issuer == null || (ca != null && !ca.name().equals(issuer.name()))) {
                    unauthorized.increment();
                    return UNAUTHORIZED;
                }
                ca = issuer;
            }
            // Only about certificates of a CA this node answers for: a flood of CertIDs for unknown issuers fills nothing.
            for (Req single : singles) queried.add(single.getCertID().getSerialNumber());
            if (request.preProducible()) {
                CertificateID id = singles[0].getCertID();
                OcspResponseCache.Key key = OcspResponseCache.Key.of(ca, id);
                OcspResponseCache.PreProduced cached = responses.cached(key);
                byte[] der = hit(cached, id);
                if (der != null) {
                    return der;
                }
                // An unknown serial is not cached (it may be issued later); a CertID spelled differently
                // (hash parameters absent rather than NULL) gets its own signature.
                CertificateStatus status = statuses.status(ca, id.getSerialNumber());
                if (status instanceof UnknownStatus || cached != null) {
                    return signer.sign(ca, List.of(new OcspResponseSigner.Answer(id, status)), null);
                }
                OcspResponseCache.PreProduced fresh = responses.produce(key, id);
                byte[] exact = fresh.answers(id);
                return exact != null ? exact : signer.sign(ca, List.of(new OcspResponseSigner.Answer(id, status)), null);
            }
            List<OcspResponseSigner.Answer> answers = new ArrayList<>();
            for (Req single : singles) {
                answers.add(new OcspResponseSigner.Answer(single.getCertID(), statuses.status(ca, single.getCertID().getSerialNumber())));
            }
            return signer.sign(ca, answers, request.nonce());
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.UNAVAILABLE) throw e;
            LOG.log(System.Logger.Level.WARNING, "OCSP request failed", e);
            return INTERNAL_ERROR;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "OCSP request failed", e);
            return INTERNAL_ERROR;
        }
    }

    /** Drops cached answers for certificates just revoked here. */
    @Override
    public void revoked(List<CertificateRecord> revoked) {
        for (CertificateRecord c : revoked) {
            invalidate(c.caName(), c.serial());
        }
    }

    /** Reads the store's revocation sequence and drops cached answers for what other nodes revoked (reads: no write lock). */
    public void poll() {
        long head = store.read(tx -> tx.certificates().revocationSequence());
        while (head > seenSeq) {
            long after = seenSeq;
            List<RevokedEntry> batch = store.read(tx -> tx.certificates().revokedSince(after, 10_000));
            if (batch.isEmpty()) {
                seenSeq = head;
                break;
            }
            for (RevokedEntry e : batch) {
                invalidate(e.caName(), e.serial());
            }
            seenSeq = batch.getLast().seq();
        }
    }

    /** For a scheduler: replaces responder certificates close to expiry before a request needs them. */
    public void rotateSigners() {
        signers.rotateDue(cas.list());
    }

    /** The delegated responder certificate of a CA, issuing one if there is none yet. */
    public X509CertificateHolder responderCertificate(String caName) {
        return signers.get(cas.get(caName)).certificate();
    }

    /**
     * The serials asked about since the last call, as stored (lowercase hex), and forgets them: what moves the last
     * seen of their devices (OcspLastSeen writes them in one batch).
     */
    public java.util.Set<String> drainQueried() {
        return queried.drain();
    }

    public Stats stats() {
        return new Stats(requests.sum(), signer.signatures(), hits.sum(), malformed.sum(), unauthorized.sum());
    }

    private void invalidate(String ca, String serialHex) {
        BigInteger serial = new BigInteger(serialHex, 16);
        statuses.invalidate(ca, serial);
        responses.invalidate(ca, serial);
    }

    /** Signs the response a cache entry holds; its CertID as given, or one made with the key's hash algorithm. */
    private OcspResponseCache.PreProduced preProduce(OcspResponseCache.Key key, CertificateID id) {
        CertificateAuthority ca = cas.get(key.ca());
        try {
            CertificateID certId = id != null ? id
                    : new CertificateID(new BcDigestCalculatorProvider().get(new AlgorithmIdentifier(key.alg())), ca.holder(), key.serial());
            byte[] der = signer.sign(ca, List.of(new OcspResponseSigner.Answer(certId, statuses.status(ca, key.serial()))), null);
            return new OcspResponseCache.PreProduced(certId, der);
        } catch (HallmarkException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot pre-produce OCSP response: " + e.getMessage(), e);
        }
    }

    private byte[] malformed() {
        malformed.increment();
        return MALFORMED;
    }

    private static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
