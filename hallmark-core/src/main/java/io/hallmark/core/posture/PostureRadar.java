package io.hallmark.core.posture;

import io.hallmark.core.posture.PostureSnapshot.Custody;
import io.hallmark.core.store.InventoryOverview;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a {@link PostureSnapshot} on seven axes. Pure: the same snapshot gives the same report. The formulas are the
 * ones docs/console.md ("PKI health radar") documents; each axis carries its own text of it.
 */
public final class PostureRadar {

    public static final String CA_KEY_CUSTODY = "ca-key-custody";
    public static final String HARDWARE_DEVICE_KEYS = "hardware-device-keys";
    public static final String REVOCATION_FRESHNESS = "revocation-freshness";
    public static final String EXPIRY_RISK = "expiry-risk";
    public static final String CRYPTO_AGILITY = "crypto-agility";
    public static final String AUDIT_INTEGRITY = "audit-integrity";
    public static final String TELEMETRY_COVERAGE = "telemetry-coverage";

    /** Key storages that keep the private key in hardware. */
    public static final Set<String> HARDWARE = Set.of("secure-element", "tpm");

    /** How much each classical key algorithm counts towards crypto agility; post-quantum ones count 1 (see {@link #postQuantum}). */
    static final Map<String, Double> STRENGTH = Map.of("ec-p384", 1.0, "ec-p521", 1.0, "ed448", 1.0, "ec-p256", 0.9, "ed25519", 0.9,
            "rsa-4096", 0.8, "rsa-3072", 0.7, "rsa-2048", 0.4);

    static final Duration OCSP_MARGIN = Duration.ofDays(7);
    static final Duration CHECKPOINT_FRESH = Duration.ofDays(1);
    static final Duration CHECKPOINT_STALE = Duration.ofDays(30);

    private PostureRadar() {
    }

    public static PostureReport score(PostureSnapshot s) {
        return score(s, Map.of());
    }

    static PostureReport score(PostureSnapshot s, Map<String, String> whatIf) {
        List<PostureAxis> axes = List.of(custody(s), hardwareKeys(s), revocation(s), expiry(s), agility(s), audit(s), telemetry(s));
        int overall = (int) Math.round(axes.stream().mapToInt(PostureAxis::score).average().orElse(0));
        return new PostureReport(s.at(), axes, overall, whatIf);
    }

    static PostureAxis custody(PostureSnapshot s) {
        double weighted = 0, total = 0;
        Map<String, Object> ev = new LinkedHashMap<>();
        for (var ca : s.cas()) {
            double w = ca.root() ? 2 : 1;
            total += w;
            if (ca.custody() != Custody.SOFTWARE) weighted += w;
            ev.put(ca.name(), ca.custody().name().toLowerCase(java.util.Locale.ROOT) + (ca.root() ? " (root)" : ""));
        }
        return new PostureAxis(CA_KEY_CUSTODY, pct(weighted, total, 0),
                "100 x sum(w x protected) / sum(w), w = 2 for a root and 1 for other CAs, protected = key in an HSM or offline", ev);
    }

    static PostureAxis hardwareKeys(PostureSnapshot s) {
        long total = 0, hardware = 0;
        for (var e : s.fleet().byKeyStorage().entrySet()) {
            total += e.getValue();
            if (HARDWARE.contains(e.getKey())) hardware += e.getValue();
        }
        Map<String, Object> ev = new LinkedHashMap<>(new java.util.TreeMap<>(s.fleet().byKeyStorage()));
        ev.put("devices", total);
        return new PostureAxis(HARDWARE_DEVICE_KEYS, pct(hardware, total, 0),
                "100 x (secure-element + tpm) / device identities (unrecorded storage counts as not hardware); 0 with no devices", ev);
    }

    static PostureAxis revocation(PostureSnapshot s) {
        Map<String, Object> ev = new LinkedHashMap<>();
        double sum = 0;
        Duration validity = s.crlValidity();
        for (var r : s.revocation()) {
            double crl = 0;
            if (r.crlThisUpdate() != null) {
                Instant next = r.crlThisUpdate().plus(validity);
                double left = Duration.between(s.at(), next).toMillis();
                crl = clamp(left / (validity.toMillis() / 2.0));
                ev.put(r.ca() + ".crlNextUpdate", next.toString());
            } else {
                ev.put(r.ca() + ".crlNextUpdate", "none published");
            }
            double ocsp = 0;
            if (r.ocspNotAfter() != null) {
                ocsp = r.ocspNotAfter().isBefore(s.at()) ? 0 : r.ocspNotAfter().isBefore(s.at().plus(OCSP_MARGIN)) ? 0.5 : 1;
                ev.put(r.ca() + ".ocspResponderNotAfter", r.ocspNotAfter().toString());
            } else {
                ev.put(r.ca() + ".ocspResponderNotAfter", "no responder yet");
            }
            sum += (crl + ocsp) / 2;
        }
        ev.put("crlValidity", validity.toString());
        return new PostureAxis(REVOCATION_FRESHNESS, pct(sum, s.revocation().size(), 0),
                "mean over CAs with a key of (crl + ocsp) / 2 x 100; crl = min(1, time to nextUpdate / (validity / 2)), "
                        + "0 when none published or past nextUpdate; ocsp = 1 if the responder is valid for over 7 days, 0.5 if less, 0 if expired or none", ev);
    }

    static PostureAxis expiry(PostureSnapshot s) {
        long valid = s.fleet().validCertificates();
        long never = s.fleet().expiry().getOrDefault("never", 0L);
        long finite = valid - never;
        long expiring = s.fleet().expiry().getOrDefault("7d", 0L) + s.fleet().expiry().getOrDefault("30d", 0L);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("valid", valid);
        ev.put("neverExpiring", never);
        ev.put("expiringWithin30d", expiring);
        return new PostureAxis(EXPIRY_RISK, 100 - pct(expiring, finite, 0),
                "100 - 100 x (valid certificates expiring within 30 days) / (valid certificates that expire at all)", ev);
    }

    /**
     * Post-quantum signature algorithms by name: ML-DSA (FIPS 204), SLH-DSA (FIPS 205) and composite ML-DSA names, as
     * algorithm names are spelled in this installation (lower case); recognised by form so that names added later count.
     */
    static boolean postQuantum(String algorithm) {
        String a = algorithm.toLowerCase(java.util.Locale.ROOT);
        return a.startsWith("ml-dsa") || a.startsWith("slh-dsa") || a.contains("composite") || a.contains("mldsa");
    }

    /** How much an algorithm counts: 0 once marked deprecated, 1 if post-quantum, else {@link #STRENGTH} (0 if unknown). */
    static double strength(String algorithm, java.util.Collection<String> deprecated) {
        if (deprecated.contains(algorithm)) return 0;
        return postQuantum(algorithm) ? 1.0 : STRENGTH.getOrDefault(algorithm, 0.0);
    }

    /** ec, rsa, eddsa, or the post-quantum family: what a second family of CA keys would have to differ in. */
    static String family(String algorithm) {
        String a = algorithm.toLowerCase(java.util.Locale.ROOT);
        if (a.contains("composite") || a.contains("mldsa")) return "composite";
        if (a.startsWith("ml-dsa")) return "ml-dsa";
        if (a.startsWith("slh-dsa")) return "slh-dsa";
        if (a.startsWith("ed")) return "eddsa";
        return a.replaceAll("-.*", "");
    }

    static PostureAxis agility(PostureSnapshot s) {
        var deprecated = s.fleet().deprecatedAlgorithms();
        double certificates = 0;
        long valid = 0, postQuantum = 0, onDeprecated = 0;
        for (var e : s.fleet().validByAlgorithm().entrySet()) {
            certificates += strength(e.getKey(), deprecated) * e.getValue();
            valid += e.getValue();
            if (postQuantum(e.getKey())) postQuantum += e.getValue();
            if (deprecated.contains(e.getKey())) onDeprecated += e.getValue();
        }
        double cas = s.cas().stream().mapToDouble(ca -> strength(ca.algorithm(), deprecated)).average().orElse(0);
        long casPostQuantum = s.cas().stream().filter(ca -> postQuantum(ca.algorithm())).count();
        long families = s.cas().stream().map(ca -> family(ca.algorithm())).distinct().count();
        Map<String, Object> ev = new LinkedHashMap<>();
        s.fleet().validByAlgorithm().forEach((alg, n) -> ev.put("certificates." + alg, n));
        Map<String, Long> caAlgorithms = new java.util.TreeMap<>();
        s.cas().forEach(ca -> caAlgorithms.merge(ca.algorithm(), 1L, Long::sum));
        caAlgorithms.forEach((alg, n) -> ev.put("cas." + alg, n));
        ev.put("deprecated", deprecated.isEmpty() ? "none marked" : String.join(",", deprecated));
        ev.put("validOnDeprecated", onDeprecated);
        ev.put("caAlgorithmFamilies", families);
        ev.put("postQuantumCertificates", postQuantum);
        ev.put("postQuantumCas", casPostQuantum);
        double base = valid == 0 ? 0 : certificates / valid;
        int score = (int) Math.round(60 * base + 20 * cas + (families >= 2 ? 10 : 0) + (postQuantum + casPostQuantum > 0 ? 10 : 0));
        return new PostureAxis(CRYPTO_AGILITY, Math.min(100, score),
                "60 x sum(strength(alg) x valid certificates whose key is alg) / valid certificates + 20 x mean strength of the CAs' "
                        + "algorithms + 10 if the CAs use two algorithm families or more + 10 if a CA or a valid certificate is post-quantum; "
                        + "strength: post-quantum (ml-dsa-*, slh-dsa-*, composite) 1, ec-p384 / ec-p521 / ed448 1, ec-p256 / ed25519 0.9, "
                        + "rsa-4096 0.8, rsa-3072 0.7, rsa-2048 0.4, other 0, and 0 for any algorithm marked deprecated", ev);
    }

    static PostureAxis audit(PostureSnapshot s) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("entries", s.audit().entries());
        ev.put("chain", !s.audit().verified() ? "not verified" : s.audit().intact() ? "intact" : "broken");
        if (s.audit().verified()) ev.put("verifiedFrom", s.audit().verifiedFrom() == 0 ? "entry 1" : "checkpoint at entry " + s.audit().verifiedFrom());
        Instant last = s.audit().lastCheckpoint();
        ev.put("lastCheckpoint", last == null ? "never" : last.toString());
        double fresh = 0;
        if (last != null) {
            long age = Duration.between(last, s.at()).toMillis();
            long from = CHECKPOINT_FRESH.toMillis(), to = CHECKPOINT_STALE.toMillis();
            fresh = age <= from ? 1 : clamp(1 - (double) (age - from) / (to - from));
        }
        boolean chainOk = !s.audit().verified() || s.audit().intact();
        int score = chainOk ? (int) Math.round((s.audit().verified() ? 50 : 0) + 50 * fresh) : 0;
        return new PostureAxis(AUDIT_INTEGRITY, score,
                "0 if the chain is broken; else 50 if the chain was verified intact (from the last signed checkpoint to the head) "
                        + "+ 50 x checkpoint freshness (1 up to a day old, falling linearly to 0 at 30 days, 0 if never taken)", ev);
    }

    static PostureAxis telemetry(PostureSnapshot s) {
        var d = s.fleet().devices();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("registered", d.registered());
        ev.put("blocked", d.blocked());
        ev.put("live", d.live());
        ev.put("seenWithin" + InventoryOverview.SEEN_WINDOW.toDays() + "d", d.seen());
        return new PostureAxis(TELEMETRY_COVERAGE, pct(d.seen(), d.live(), 0),
                "100 x (live devices last seen within 30 days) / live devices; live = registered and not blocked; last seen = the "
                        + "newest issuance, enrollment, re-enrollment, reported authentication or OCSP query about the device; 0 with no devices", ev);
    }

    private static int pct(double part, double whole, int whenEmpty) {
        if (whole <= 0) return whenEmpty;
        return (int) Math.round(100 * clamp(part / whole));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
