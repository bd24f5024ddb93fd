package io.hallmark.core.revoke;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevokedEntry;
import io.hallmark.core.store.SharedConfig;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * OCSP responder engine (RFC 6960), independent of any server: DER request in, DER OCSPResponse out, and
 * never an exception. Requests are matched to a CA by CertID (SHA-1 or SHA-256 issuer hashes); answers
 * are good, revoked (time and reason) or unknown (no such serial from that CA), signed by the CA's
 * delegated responder ({@link OcspSigners}).
 *
 * <p>A request for one certificate without a nonce is answered from a bounded cache of pre-produced
 * responses (RFC 5019 style), refreshed in the background once a quarter of their validity has passed,
 * so a burst of queries costs no signing. A request with a nonce gets its nonce echoed and therefore a
 * fresh signature, with the status still from cache. Revocation drops cached answers at once in this
 * process ({@link Revoker.Listener}) and within a {@link #poll()} interval on other nodes.
 */
public final class OcspResponder implements Revoker.Listener {

    /** Far above any real request (one CertID with a nonce is ~100 bytes); bounds what we parse. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;
    public static final int MAX_CERT_IDS = 16;
    public static final int DEFAULT_CACHE_SIZE = 100_000;

    private static final byte[] MALFORMED = status(OCSPRespBuilder.MALFORMED_REQUEST);
    private static final byte[] UNAUTHORIZED = status(OCSPRespBuilder.UNAUTHORIZED);
    private static final byte[] INTERNAL_ERROR = status(OCSPRespBuilder.INTERNAL_ERROR);
    private static final ASN1ObjectIdentifier SHA1 = OIWObjectIdentifiers.idSHA1;
    private static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;
    private static final System.Logger LOG = System.getLogger(OcspResponder.class.getName());

    /** Counters since start, as GET /api/v1/ocsp/stats shows them (and `hallmark bench ocsp` reports). */
    public record Stats(long requests, long signatures, long preProducedHits, long malformed, long unauthorized) {
    }

    private record IssuerKey(ASN1ObjectIdentifier alg, String nameHash, String keyHash) {
    }

    private record StatusKey(String ca, BigInteger serial) {
    }

    private record ResponseKey(String ca, BigInteger serial, ASN1ObjectIdentifier alg) {
    }

    /** A signed single-certificate response and the CertID it answers (kept to refresh it). */
    private record PreProduced(CertificateID id, byte[] der) {
    }

    /** A request's DER bytes, compared by content. */
    private record Der(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Der d && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** What a request that was answered from cache asked for, and the answer it got. */
    private record Seen(ResponseKey key, PreProduced answer) {
    }

    /** A known certificate's status: BouncyCastle spells good as null (CertificateStatus.GOOD), so it is wrapped. */
    private record Known(CertificateStatus status) {
    }

    private final Store store;
    private final CaService cas;
    private final OcspSigners signers;
    private final PublicationSettings settings;
    private final Clock clock;
    private final Cache<StatusKey, Known> statuses;
    private final LoadingCache<ResponseKey, PreProduced> responses;
    /**
     * Requests answered from cache, by their bytes: relying parties repeat the same request byte for byte,
     * and parsing it costs more than the rest of a cached answer. An entry holds only while its answer is
     * still the one cached (a refresh or a revocation replaces that), so it never outlives the answer.
     */
    private final Cache<Der, Seen> seen;
    /** The CAs by the hashes CertIDs name them with; read again when the configuration sequence moved (a CA created). */
    private final SharedConfig.Cached<Map<IssuerKey, CertificateAuthority>> index;
    /** The last index read, for the answers given without blocking ({@link #respondIfReady}), which must not read the store. */
    private volatile Map<IssuerKey, CertificateAuthority> issuers = Map.of();
    private volatile long seenSeq = -1;
    private final LongAdder requests = new LongAdder();
    private final LongAdder signatures = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unauthorized = new LongAdder();

    public OcspResponder(Store store, CaService cas, KeyVaults vaults, PublicationSettings settings, SharedConfig config, Clock clock,
                         int cacheSize) {
        this.store = store;
        this.cas = cas;
        this.index = config.cache(tx -> index(tx.cas().all()));
        this.signers = new OcspSigners(store, vaults, clock);
        this.settings = settings;
        this.clock = clock;
        Duration validity = settings.current().ocspValidityDuration();
        this.statuses = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(validity.dividedBy(4)).build();
        this.responses = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .refreshAfterWrite(validity.dividedBy(4))
                .expireAfterWrite(validity.dividedBy(2))
                .build(new CacheLoader<ResponseKey, PreProduced>() {
                    @Override
                    public PreProduced load(ResponseKey key) {
                        return preProduce(key, null);
                    }

                    @Override
                    public PreProduced reload(ResponseKey key, PreProduced old) {
                        return preProduce(key, old.id());
                    }
                });
        this.seen = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.seenSeq = store.inTransaction(tx -> tx.certificates().revocationSequence());
    }

    /**
     * Answers a DER OCSPRequest (a POST body, or a GET path the server decoded). Never throws; may read the
     * store and sign, so it may block. Null (a GET path that did not decode) is answered malformedRequest.
     */
    public byte[] respond(byte[] der) {
        requests.increment();
        Parsed request = parse(der);
        return request == null ? malformed() : answer(request);
    }

    /**
     * The answer if it costs no blocking: a pre-produced response in cache, or a refusal of a malformed
     * request; otherwise null, and the caller calls {@link #respond} where it may block (a cache miss reads
     * the store, a nonce needs a signature). Lets an event-loop server answer the common case in place.
     * A null costs a second parse in {@link #respond}, which is small beside what follows it there.
     */
    public byte[] respondIfReady(byte[] der) {
        Seen known = der == null ? null : seen.getIfPresent(new Der(der));
        if (known != null && responses.getIfPresent(known.key()) == known.answer()) {
            requests.increment();
            hits.increment();
            return known.answer().der();
        }
        Parsed request = parse(der);
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

    /** A request that parsed: its CertIDs and nonce (null without one). */
    private record Parsed(Req[] singles, Extension nonce) {
    }

    /** Null for anything that is not an acceptable DER OCSPRequest. */
    private static Parsed parse(byte[] der) {
        try {
            if (der == null || der.length == 0 || der.length > MAX_REQUEST_BYTES) {
                return null;
            }
            OCSPReq request = new OCSPReq(der);
            if (!Arrays.equals(request.getEncoded(), der)) {
                return null; // trailing bytes, or BER where DER is due
            }
            Req[] singles = request.getRequestList();
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (singles.length == 0 || singles.length > MAX_CERT_IDS || (nonce != null && !nonceAcceptable(nonce))) {
                return null;
            }
            return new Parsed(singles, nonce);
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }

    /** The cached response to a one-CertID request without nonce, or null; never blocks (no re-index, no load). */
    private byte[] preProduced(byte[] der, Parsed request) {
        if (request.singles().length != 1 || request.nonce() != null) return null;
        CertificateID id = request.singles()[0].getCertID();
        CertificateAuthority ca = issuers.get(issuerKey(id));
        if (ca == null) return null;
        ResponseKey key = responseKey(ca, id);
        PreProduced cached = responses.getIfPresent(key);
        byte[] answer = hit(cached, id);
        if (answer != null) {
            seen.put(new Der(der.clone()), new Seen(key, cached));
        }
        return answer;
    }

    /** The cached response if it answers exactly this CertID (counted as a hit), else null. */
    private byte[] hit(PreProduced cached, CertificateID id) {
        if (cached == null || !cached.id().equals(id)) return null;
        hits.increment();
        return cached.der();
    }

    private static ResponseKey responseKey(CertificateAuthority ca, CertificateID id) {
        return new ResponseKey(ca.name(), id.getSerialNumber(), id.getHashAlgOID());
    }

    private byte[] answer(Parsed request) {
        Req[] singles = request.singles();
        try {
            CertificateAuthority ca = null;
            for (Req single : singles) {
                CertificateAuthority issuer = issuerOf(single.getCertID());
                // One response has one signer, and a delegated responder speaks for its own CA only.
                if (issuer == null || (ca != null && !ca.name().equals(issuer.name()))) {
                    unauthorized.increment();
                    return UNAUTHORIZED;
                }
                ca = issuer;
            }
            if (singles.length == 1 && request.nonce() == null) {
                CertificateID id = singles[0].getCertID();
                ResponseKey key = responseKey(ca, id);
                PreProduced cached = responses.getIfPresent(key);
                byte[] der = hit(cached, id);
                if (der != null) {
                    return der;
                }
                // An unknown serial is not cached (it may be issued later); a CertID spelled differently
                // (hash parameters absent rather than NULL) gets its own signature.
                CertificateStatus status = status(ca, id.getSerialNumber());
                if (status instanceof UnknownStatus || cached != null) {
                    return sign(ca, List.of(new Answer(id, status)), null);
                }
                PreProduced fresh = responses.get(key, k -> preProduce(k, id));
                return fresh.id().equals(id) ? fresh.der() : sign(ca, List.of(new Answer(id, status)), null);
            }
            List<Answer> answers = new java.util.ArrayList<>();
            for (Req single : singles) {
                answers.add(new Answer(single.getCertID(), status(ca, single.getCertID().getSerialNumber())));
            }
            return sign(ca, answers, request.nonce());
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

    /** Reads the store's revocation sequence and drops cached answers for what other nodes revoked. */
    public void poll() {
        long head = store.inTransaction(tx -> tx.certificates().revocationSequence());
        while (head > seenSeq) {
            long after = seenSeq;
            List<RevokedEntry> batch = store.inTransaction(tx -> tx.certificates().revokedSince(after, 10_000));
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

    public Stats stats() {
        return new Stats(requests.sum(), signatures.sum(), hits.sum(), malformed.sum(), unauthorized.sum());
    }

    private void invalidate(String ca, String serialHex) {
        BigInteger serial = new BigInteger(serialHex, 16);
        statuses.invalidate(new StatusKey(ca, serial));
        responses.invalidate(new ResponseKey(ca, serial, SHA1));
        responses.invalidate(new ResponseKey(ca, serial, SHA256));
    }

    private record Answer(CertificateID id, CertificateStatus status) {
    }

    private PreProduced preProduce(ResponseKey key, CertificateID id) {
        CertificateAuthority ca = cas.get(key.ca());
        try {
            CertificateID certId = id != null ? id
                    : new CertificateID(new BcDigestCalculatorProvider().get(new AlgorithmIdentifier(key.alg())), ca.holder(), key.serial());
            return new PreProduced(certId, sign(ca, List.of(new Answer(certId, status(ca, key.serial()))), null));
        } catch (Exception e) {
            throw new IllegalStateException("cannot pre-produce OCSP response: " + e.getMessage(), e);
        }
    }

    private CertificateStatus status(CertificateAuthority ca, BigInteger serial) {
        Known known = statuses.get(new StatusKey(ca.name(), serial), k -> lookup(ca.name(), serial));
        return known == null ? new UnknownStatus() : known.status();
    }

    /** Null for unknown, which the status cache then does not keep. */
    private Known lookup(String ca, BigInteger serial) {
        String hex = Serials.hex(serial);
        return store.inTransaction(tx -> tx.certificates().find(hex))
                .filter(c -> c.caName().equals(ca))
                .map(c -> new Known(c.revocation() == null ? CertificateStatus.GOOD
                        : new RevokedStatus(Date.from(c.revocation().revokedAt()), c.revocation().reason().code())))
                .orElse(null);
    }

    private byte[] sign(CertificateAuthority ca, List<Answer> answers, Extension nonce) throws Exception {
        OcspSigners.Signer signer = signers.get(ca);
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant next = now.plus(settings.current().ocspValidityDuration());
        if (next.isAfter(signer.notAfter())) {
            next = signer.notAfter(); // a response must not outlive the certificate that vouches for it
        }
        // By key hash (RFC 6960 §4.2.2.3); digest calculators are stateful, so one per response.
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(signer.certificate().getSubjectPublicKeyInfo(),
                new BcDigestCalculatorProvider().get(RespID.HASH_SHA1)));
        for (Answer a : answers) {
            builder.addResponse(a.id(), a.status(), Date.from(now), Date.from(next), null);
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        var basic = builder.build(signer.key().signer(), new X509CertificateHolder[]{signer.certificate()}, Date.from(now));
        signatures.increment();
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private static IssuerKey issuerKey(CertificateID id) {
        return new IssuerKey(id.getHashAlgOID(), HexFormat.of().formatHex(id.getIssuerNameHash()), HexFormat.of().formatHex(id.getIssuerKeyHash()));
    }

    private CertificateAuthority issuerOf(CertificateID id) {
        Map<IssuerKey, CertificateAuthority> current = index.get();
        issuers = current;
        return current.get(issuerKey(id));
    }

    private static Map<IssuerKey, CertificateAuthority> index(List<CertificateAuthority> cas) {
        Map<IssuerKey, CertificateAuthority> index = new HashMap<>();
        BcDigestCalculatorProvider digests = new BcDigestCalculatorProvider();
        for (CertificateAuthority ca : cas) {
            for (ASN1ObjectIdentifier alg : List.of(SHA1, SHA256)) {
                try {
                    CertificateID probe = new CertificateID(digests.get(new AlgorithmIdentifier(alg)), ca.holder(), BigInteger.ONE);
                    index.put(new IssuerKey(alg, HexFormat.of().formatHex(probe.getIssuerNameHash()),
                            HexFormat.of().formatHex(probe.getIssuerKeyHash())), ca);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(index);
    }

    /** RFC 8954: a nonce is 1 to 32 octets; longer ones are refused as malformed. */
    private static boolean nonceAcceptable(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        int length = value.length;
        try {
            length = ASN1OctetString.getInstance(value).getOctets().length;
        } catch (Exception e) {
            // Some clients put the raw bytes in extnValue without the inner OCTET STRING; measure those.
        }
        return length >= 1 && length <= 32;
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
