package io.hallmark.core.posture;

import io.hallmark.core.posture.PostureSnapshot.Custody;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a {@link PostureSnapshot} on six axes. Pure: the same snapshot gives the same report. The formulas are the
 * ones docs/console.md ("PKI health radar") documents; each axis carries its own text of it.
 */
public final class PostureRadar {

    public static final String CA_KEY_CUSTODY = "ca-key-custody";
    public static final String HARDWARE_DEVICE_KEYS = "hardware-device-keys";
    public static final String REVOCATION_FRESHNESS = "revocation-freshness";
    public static final String EXPIRY_RISK = "expiry-risk";
    public static final String CRYPTO_AGILITY = "crypto-agility";
    public static final String AUDIT_INTEGRITY = "audit-integrity";

    /** Key storages that keep the private key in hardware. */
    public static final Set<String> HARDWARE = Set.of("secure-element", "tpm");

    /** How much each signing algorithm counts towards crypto agility (no post-quantum algorithm is offered yet). */
    static final Map<String, Double> STRENGTH = Map.of("ec-p384", 1.0, "ec-p256", 0.9, "ed25519", 0.9,
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
        List<PostureAxis> axes = List.of(custody(s), hardwareKeys(s), revocation(s), expiry(s), agility(s), audit(s));
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
        for (var e : s.fleet().deviceKeyStorage().entrySet()) {
            total += e.getValue();
            if (HARDWARE.contains(e.getKey())) hardware += e.getValue();
        }
        Map<String, Object> ev = new LinkedHashMap<>(new java.util.TreeMap<>(s.fleet().deviceKeyStorage()));
        ev.put("devices", total);
        return new PostureAxis(HARDWARE_DEVICE_KEYS, pct(hardware, total, 0),
                "100 x (secure-element + tpm) / device identities; 0 with no devices", ev);
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
        long finite = valid - s.fleet().neverExpiring();
        long expiring = s.fleet().expiringWithin30d();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("valid", valid);
        ev.put("neverExpiring", s.fleet().neverExpiring());
        ev.put("expiringWithin30d", expiring);
        return new PostureAxis(EXPIRY_RISK, 100 - pct(expiring, finite, 0),
                "100 - 100 x (valid certificates expiring within 30 days) / (valid certificates that expire at all)", ev);
    }

    static PostureAxis agility(PostureSnapshot s) {
        Map<String, String> algorithmOf = new java.util.HashMap<>();
        s.cas().forEach(ca -> algorithmOf.put(ca.name(), ca.algorithm()));
        Map<String, Long> byAlgorithm = new java.util.TreeMap<>();
        s.fleet().validByCa().forEach((ca, n) -> byAlgorithm.merge(algorithmOf.getOrDefault(ca, "unknown"), n, Long::sum));
        double strength = 0;
        long total = 0;
        for (var e : byAlgorithm.entrySet()) {
            strength += STRENGTH.getOrDefault(e.getKey(), 0.0) * e.getValue();
            total += e.getValue();
        }
        long families = s.cas().stream().map(ca -> ca.algorithm().replaceAll("-.*", "")).distinct().count();
        Map<String, Object> ev = new LinkedHashMap<>(byAlgorithm);
        ev.put("caAlgorithmFamilies", families);
        ev.put("postQuantum", 0);
        double base = total == 0 ? 0 : strength / total;
        int score = (int) Math.round(80 * base + (families >= 2 ? 20 : 0));
        return new PostureAxis(CRYPTO_AGILITY, score,
                "80 x sum(strength(alg) x valid certificates signed with alg) / valid certificates + 20 if the CAs use two algorithm "
                        + "families or more; strength: ec-p384 1, ec-p256 0.9, ed25519 0.9, rsa-4096 0.8, rsa-3072 0.7, rsa-2048 0.4, other 0", ev);
    }

    static PostureAxis audit(PostureSnapshot s) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("entries", s.audit().entries());
        ev.put("chain", !s.audit().verified() ? "not verified" : s.audit().intact() ? "intact" : "broken");
        Instant last = s.fleet().lastCheckpoint();
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
                "0 if the chain is broken; else 50 if the chain was verified intact + 50 x checkpoint freshness "
                        + "(1 up to a day old, falling linearly to 0 at 30 days, 0 if never taken)", ev);
    }

    private static int pct(double part, double whole, int whenEmpty) {
        if (whole <= 0) return whenEmpty;
        return (int) Math.round(100 * clamp(part / whole));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
