package io.hallmark.core.posture;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.posture.PostureSnapshot.Custody;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Overrides applied to a snapshot before it is scored: "what would the radar say if ...". They change the
 * in-memory snapshot only; nothing is written anywhere.
 *
 * <ul>
 *   <li>{@code hardware-keys=40%}: that share of the device identities on secure elements, the rest in software</li>
 *   <li>{@code root-in-hsm=true}: every root CA's key on an HSM</li>
 *   <li>{@code cas-in-hsm=true}: every CA's key on an HSM</li>
 *   <li>{@code checkpoint=now}: a signed audit checkpoint taken just now</li>
 * </ul>
 */
public final class WhatIf {

    public static final java.util.List<String> KEYS = java.util.List.of("hardware-keys", "root-in-hsm", "cas-in-hsm", "checkpoint");

    private WhatIf() {
    }

    /** Parses {@code key=value} words; a bad one is a one-line BAD_INPUT error. */
    public static Map<String, String> parse(Iterable<String> words) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) throw HallmarkException.badInput("what-if '" + w + "' is not key=value (keys: " + String.join(", ", KEYS) + ")");
            out.put(w.substring(0, eq).trim(), w.substring(eq + 1).trim());
        }
        return out;
    }

    /** Scores {@code s} under {@code overrides}. */
    public static PostureReport score(PostureSnapshot s, Map<String, String> overrides) {
        PostureSnapshot changed = s;
        for (var e : overrides.entrySet()) changed = apply(changed, e.getKey(), e.getValue());
        return PostureRadar.score(changed, overrides);
    }

    static PostureSnapshot apply(PostureSnapshot s, String key, String value) {
        return switch (key) {
            case "hardware-keys" -> hardwareShare(s, percent(key, value));
            case "root-in-hsm" -> bool(key, value) ? custody(s, true) : s;
            case "cas-in-hsm" -> bool(key, value) ? custody(s, false) : s;
            case "checkpoint" -> {
                if (!value.equals("now")) throw HallmarkException.badInput("what-if checkpoint takes 'now', not '" + value + "'");
                yield new PostureSnapshot(s.at(), s.cas(), s.fleet(), s.revocation(), s.crlValidity(), s.audit().withLastCheckpoint(s.at()));
            }
            default -> throw HallmarkException.badInput("unknown what-if '" + key + "' (keys: " + String.join(", ", KEYS) + ")");
        };
    }

    private static PostureSnapshot hardwareShare(PostureSnapshot s, double share) {
        long devices = s.fleet().deviceIdentities();
        long hardware = Math.round(devices * share);
        var storage = Map.of("secure-element", hardware, "software", devices - hardware);
        return with(s, s.fleet().withKeyStorage(storage));
    }

    private static PostureSnapshot custody(PostureSnapshot s, boolean rootsOnly) {
        var cas = s.cas().stream().map(ca -> !rootsOnly || ca.root()
                ? new PostureSnapshot.CaKey(ca.name(), ca.root(), ca.custody() == Custody.OFFLINE ? Custody.OFFLINE : Custody.HSM, ca.algorithm())
                : ca).toList();
        return new PostureSnapshot(s.at(), cas, s.fleet(), s.revocation(), s.crlValidity(), s.audit());
    }

    private static PostureSnapshot with(PostureSnapshot s, io.hallmark.core.store.InventoryOverview fleet) {
        return new PostureSnapshot(s.at(), s.cas(), fleet, s.revocation(), s.crlValidity(), s.audit());
    }

    private static double percent(String key, String value) {
        String v = value.endsWith("%") ? value.substring(0, value.length() - 1) : value;
        try {
            double p = Double.parseDouble(v);
            if (p < 0 || p > 100 || Double.isNaN(p)) throw new NumberFormatException();
            return p / 100;
        } catch (NumberFormatException e) {
            throw HallmarkException.badInput("what-if " + key + " takes a percentage 0-100, not '" + value + "'");
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw HallmarkException.badInput("what-if " + key + " takes true or false, not '" + value + "'");
        };
    }
}
