package io.hallmark.server.revoke;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.revoke.PublicationSettings;
import io.hallmark.server.http.Exchange;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * What an HTTP cache in front of the plain listener (a CDN, a caching proxy) is told about OCSP answers to GET
 * and about CRLs (RFC 5019 §6.2), and the conditional GET it revalidates with; the one place that says so.
 *
 * <p>A cacheable answer gets {@code Cache-Control: max-age=N, public, no-transform, must-revalidate}, where N is the
 * lesser of the publication's cache window and the time left to the answer's nextUpdate, so no cache serves it
 * beyond either; {@code Expires} says the same instant (RFC 5019 puts nextUpdate there, which a cache reading only
 * Expires would take as hours of freshness); {@code Last-Modified} is when it was signed (producedAt, thisUpdate
 * for a CRL); {@code ETag} is the SHA-256 of its bytes, a strong validator: a pre-produced answer is the same bytes
 * until it is refreshed or a revocation replaces it. {@code If-None-Match} (or, without it, {@code If-Modified-Since})
 * that still names it gets 304.
 *
 * <p>Not cacheable, {@code Cache-Control: no-cache}: refusals (malformedRequest, unauthorized, internalError), an
 * answer saying unknown (the serial may be issued a moment later; the responder does not keep those either) and
 * one echoing a nonce (made for one client). POST answers get no caching headers: HTTP caches do not keep them.
 */
public final class HttpCaching {

    /** Far above the pre-produced answers in use at once on any node; a forgotten one is only hashed again. */
    private static final int KNOWN_ANSWERS = 100_000;
    /** IMF-fixdate (RFC 9110 §5.6.7): two-digit day, which RFC_1123_DATE_TIME does not write; it reads both. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    /** A cacheable answer's validators and the end of its validity; {@code nextUpdate} null: not cacheable. */
    private record Freshness(String etag, Instant lastModified, Instant nextUpdate) {
        static final Freshness NONE = new Freshness(null, null, null);
    }

    private final PublicationSettings settings;
    private final Clock clock;
    /**
     * By the identity of the answer's bytes: a pre-produced answer is the same array for every request until it is
     * replaced, so it is parsed and hashed once; weak keys let a replaced answer go.
     */
    private final Cache<byte[], Freshness> known = Caffeine.newBuilder().weakKeys().maximumSize(KNOWN_ANSWERS).build();
    private volatile Publication windowOf;
    private volatile Duration window;

    public HttpCaching(PublicationSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Sends an OCSP answer to a GET, with the headers that say how long caches may keep it, or 304 if the client has it. */
    public void sendOcspGet(Exchange x, byte[] answer) {
        Freshness f = known.get(answer, HttpCaching::ocspFreshness);
        if (f.nextUpdate() == null) {
            x.header("Cache-Control", "no-cache");
            x.send(200, RevocationEndpoints.OCSP_RESPONSE, answer);
            return;
        }
        send(x, RevocationEndpoints.OCSP_RESPONSE, answer, f);
    }

    /** Sends a CRL with the same headers (thisUpdate as Last-Modified), or 304 if the client has it. */
    public void sendCrl(Exchange x, GeneratedCrl crl) {
        Freshness f = known.get(crl.der(), der -> new Freshness(etag(der), crl.thisUpdate(), crl.nextUpdate()));
        send(x, "application/pkix-crl", crl.der(), f);
    }

    private void send(Exchange x, String contentType, byte[] body, Freshness f) {
        Instant now = clock.instant();
        long maxAge = Math.max(0, Math.min(window().toSeconds(), Duration.between(now, f.nextUpdate()).toSeconds()));
        x.header("ETag", f.etag());
        x.header("Last-Modified", date(f.lastModified()));
        x.header("Cache-Control", "max-age=" + maxAge + ", public, no-transform, must-revalidate");
        x.header("Expires", date(now.plusSeconds(maxAge)));
        if (notModified(x, f)) {
            x.sendEmpty(304);
        } else {
            x.send(200, contentType, body);
        }
    }

    /** RFC 9110 §13.1.2, §13.1.3: If-None-Match decides when present (weak comparison), else If-Modified-Since. */
    private static boolean notModified(Exchange x, Freshness f) {
        String inm = x.header("If-None-Match");
        if (inm != null) {
            for (String tag : inm.split(",")) {
                String t = tag.strip();
                if (t.startsWith("W/")) t = t.substring(2);
                if (t.equals("*") || t.equals(f.etag())) return true;
            }
            return false;
        }
        String ims = x.header("If-Modified-Since");
        if (ims == null) return false;
        try {
            Instant since = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(ims.strip()));
            return !f.lastModified().isAfter(since);
        } catch (RuntimeException e) {
            return false; // not a date: the header is ignored, as RFC 9110 says
        }
    }

    /** The window in force, parsed again only when the setting changed. */
    private Duration window() {
        Publication p = settings.current();
        if (p != windowOf) {
            window = p.cacheWindowDuration();
            windowOf = p;
        }
        return window;
    }

    private static Freshness ocspFreshness(byte[] der) {
        try {
            OCSPResp resp = new OCSPResp(der);
            if (resp.getStatus() != OCSPRespBuilder.SUCCESSFUL || !(resp.getResponseObject() instanceof BasicOCSPResp basic)
                    || basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce) != null) {
                return Freshness.NONE;
            }
            Instant next = null;
            for (SingleResp single : basic.getResponses()) {
                if (single.getCertStatus() instanceof UnknownStatus || single.getNextUpdate() == null) {
                    return Freshness.NONE;
                }
                Instant n = single.getNextUpdate().toInstant();
                if (next == null || n.isBefore(next)) next = n;
            }
            return next == null ? Freshness.NONE : new Freshness(etag(der), basic.getProducedAt().toInstant(), next);
        } catch (Exception e) {
            return Freshness.NONE;
        }
    }

    private static String etag(byte[] der) {
        try {
            return '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)) + '"';
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String date(Instant t) {
        return HTTP_DATE.format(t.atOffset(ZoneOffset.UTC));
    }
}
