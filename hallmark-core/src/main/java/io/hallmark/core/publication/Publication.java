package io.hallmark.core.publication;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where revocation data is published and how fresh it is: config key {@code publication}, shared by
 * every node. Certificates issued while a base URL is set carry a CRL distribution point and AIA
 * (OCSP, caIssuers) under it:
 * <pre>
 *   BASE/crl/CA.crl         complete CRL of CA          BASE/crl/CA-delta.crl     its delta CRL
 *   BASE/crl/CA-K.crl       partition K of CA            BASE/crl/CA-K-delta.crl   that partition's delta
 *   BASE/ocsp               OCSP (RFC 6960, POST or GET)  BASE/ca/CA.crt            the CA certificate (DER)
 * </pre>
 *
 * @param baseUrl       e.g. {@code http://pki.example.com}; null: issue certificates without CDP/AIA
 * @param partitions    CRL partitions per CA name (absent or 1: one CRL per CA). A certificate's partition
 *                      is its serial modulo this count when it is issued, and is stored with it, so changing
 *                      the count later never moves an issued certificate
 * @param crlValidity   nextUpdate - thisUpdate of complete CRLs
 * @param deltaValidity nextUpdate - thisUpdate of delta CRLs
 * @param crlRefresh    a CA-wide complete CRL is re-signed at most this often after revocations (deltas and
 *                      partitions at once); every CRL is re-signed anyway once half its validity has passed
 * @param ocspValidity  nextUpdate - thisUpdate of OCSP responses
 * @param allowLoopbackUrls true: certificates that never expire may carry a loopback base URL too (a lab or a
 *                      test bench, never a product); null or false: they are refused ({@link #requireLastingUrlsFor})
 * @param cacheWindow   how long an HTTP cache (a CDN, a caching proxy) may serve an OCSP answer to a GET or a CRL
 *                      without asking again: the longest a revocation stays unseen behind one. Answers say
 *                      {@code max-age} = the lesser of it and the time left to their nextUpdate (RFC 5019 §6.2).
 *                      Null: {@value #DEFAULT_CACHE_WINDOW}, the CRL refresh default, so a revocation reaches relying
 *                      parties behind a cache as soon as it reaches those reading CA-wide CRLs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Publication(String baseUrl, Map<String, Integer> partitions, String crlValidity, String deltaValidity,
                         String crlRefresh, String ocspValidity, Boolean allowLoopbackUrls, String cacheWindow) {

    public static final String CONFIG_KEY = "publication";
    public static final String DEFAULT_CACHE_WINDOW = "5m";
    public static final int MAX_PARTITIONS = 65_536;
    public static final Publication NONE = new Publication(null, null, null, null, null, null);

    /** A setting that keeps the rule for never-expiring certificates (no loopback base URL). */
    public Publication(String baseUrl, Map<String, Integer> partitions, String crlValidity, String deltaValidity, String crlRefresh, String ocspValidity) {
        this(baseUrl, partitions, crlValidity, deltaValidity, crlRefresh, ocspValidity, null);
    }

    /** A setting with the default cache window. */
    public Publication(String baseUrl, Map<String, Integer> partitions, String crlValidity, String deltaValidity, String crlRefresh, String ocspValidity,
                       Boolean allowLoopbackUrls) {
        this(baseUrl, partitions, crlValidity, deltaValidity, crlRefresh, ocspValidity, allowLoopbackUrls, null);
    }

    public Publication {
        if (baseUrl != null) {
            baseUrl = baseUrl.strip();
            while (baseUrl.endsWith("/")) baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            if (!baseUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
                throw HallmarkException.badInput("publication baseUrl '" + baseUrl + "' must be an http:// or https:// URL without query");
            }
            if (baseUrl.isEmpty()) baseUrl = null;
        }
        partitions = new TreeMap<>(partitions == null ? Map.of() : partitions);
        for (var e : partitions.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1 || e.getValue() > MAX_PARTITIONS) {
                throw HallmarkException.badInput("CRL partitions for CA " + e.getKey() + " must be 1 to " + MAX_PARTITIONS + ", not " + e.getValue());
            }
        }
        partitions = java.util.Collections.unmodifiableMap(partitions);
        crlValidity = orDefault(crlValidity, "7d");
        deltaValidity = orDefault(deltaValidity, "1d");
        crlRefresh = orDefault(crlRefresh, "5m");
        ocspValidity = orDefault(ocspValidity, "4h");
        // Stored only when set, so a setting that never allowed loopback URLs reads as it did before the option existed.
        allowLoopbackUrls = Boolean.TRUE.equals(allowLoopbackUrls) ? Boolean.TRUE : null;
        // Stored only when set too: nodes of a version before it read the setting as they did (they refuse unknown fields).
        cacheWindow = cacheWindow == null || cacheWindow.isBlank() ? null : orDefault(cacheWindow, DEFAULT_CACHE_WINDOW);
    }

    /**
     * This setting with some fields changed ('hallmark publication' and the API's PUT): a null argument keeps the
     * field, a blank base URL removes it, partitions given are added to the current ones (the setting refuses shrinking).
     */
    public Publication changed(String newBaseUrl, Map<String, Integer> morePartitions, String newCrlValidity, String newDeltaValidity,
                               String newCrlRefresh, String newOcspValidity, Boolean newAllowLoopbackUrls, String newCacheWindow) {
        Map<String, Integer> parts = new TreeMap<>(partitions);
        if (morePartitions != null) parts.putAll(morePartitions);
        return new Publication(newBaseUrl == null ? baseUrl : newBaseUrl.isBlank() ? null : newBaseUrl, parts,
                newCrlValidity == null ? crlValidity : newCrlValidity, newDeltaValidity == null ? deltaValidity : newDeltaValidity,
                newCrlRefresh == null ? crlRefresh : newCrlRefresh, newOcspValidity == null ? ocspValidity : newOcspValidity,
                newAllowLoopbackUrls == null ? allowLoopbackUrls : newAllowLoopbackUrls, newCacheWindow == null ? cacheWindow : newCacheWindow);
    }

    /** Whether the base URL names this machine only: certificates carrying it point their relying parties nowhere. */
    public boolean loopback() {
        return baseUrl != null && LoopbackHosts.isLoopback(host());
    }

    /** The host of the base URL (an IPv6 literal without its brackets); null without a base URL. */
    public String host() {
        if (baseUrl == null) return null;
        String authority = baseUrl.substring(baseUrl.indexOf("://") + 3).split("/", 2)[0];
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.startsWith("[")) return authority.substring(1, authority.indexOf(']'));
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /**
     * The one rule on where a certificate may point for revocation, checked before anything is signed on every
     * path (hallmark issue, EST, factory batches: {@code IssuanceSigner}). A certificate that never expires
     * (an IEEE 802.1AR IDevID) keeps its CRL and OCSP URLs for the device's whole life and cannot be re-issued
     * once the device has shipped, so a loopback base URL, which points every relying party at itself, is
     * refused unless the setting says a lab wants it ({@code allowLoopbackUrls}). Certificates that expire
     * are renewed under whatever the setting becomes, so they may carry it (the CLI warns when it is set).
     */
    public void requireLastingUrlsFor(String profile, boolean neverExpires) {
        if (neverExpires && loopback() && !Boolean.TRUE.equals(allowLoopbackUrls)) {
            throw HallmarkException.badInput("profile " + profile + " issues certificates that never expire, and the publication base URL "
                    + baseUrl + " is a loopback address they would carry for good: set the public one with 'hallmark publication "
                    + "--base-url http://NAME:PORT' (or, for a lab, 'hallmark publication --allow-loopback-urls')");
        }
    }

    private static String orDefault(String value, String dflt) {
        String v = value == null || value.isBlank() ? dflt : value.strip();
        Validity.parseDuration(v); // fail when the setting is made, not when the first CRL is due
        return v;
    }

    public int partitionsOf(String ca) {
        return partitions.getOrDefault(ca, 1);
    }

    public Duration crlValidityDuration() {
        return Validity.parseDuration(crlValidity);
    }

    public Duration deltaValidityDuration() {
        return Validity.parseDuration(deltaValidity);
    }

    public Duration crlRefreshDuration() {
        return Validity.parseDuration(crlRefresh);
    }

    public Duration ocspValidityDuration() {
        return Validity.parseDuration(ocspValidity);
    }

    /** The cache window in force: the one set, or {@value #DEFAULT_CACHE_WINDOW}. */
    public String cacheWindowOrDefault() {
        return cacheWindow == null ? DEFAULT_CACHE_WINDOW : cacheWindow;
    }

    public Duration cacheWindowDuration() {
        return Validity.parseDuration(cacheWindowOrDefault());
    }

    public boolean published() {
        return baseUrl != null;
    }

    /** The complete CRL of a CA, or of one of its partitions (null: the whole CA). */
    public String crlUrl(String ca, Integer partition) {
        return baseUrl + "/crl/" + ca + (partition == null ? "" : "-" + partition) + ".crl";
    }

    public String deltaUrl(String ca, Integer partition) {
        return baseUrl + "/crl/" + ca + (partition == null ? "" : "-" + partition) + "-delta.crl";
    }

    public String ocspUrl() {
        return baseUrl + "/ocsp";
    }

    public String caIssuersUrl(String ca) {
        return baseUrl + "/ca/" + ca + ".crt";
    }
}
