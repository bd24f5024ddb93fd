package io.hallmark.core.inventory;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.InventoryFilter;
import io.hallmark.core.store.InventoryStatus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Inventory filters as text, the same for the CLI's options and the API's query parameters (the names are the
 * CLI's options without the dashes in front), checked here once: an unknown name or value is refused with the
 * values that would do, rather than matching nothing.
 */
public final class InventoryFilters {

    public static final String CA = "ca";
    public static final String PROFILE = "profile";
    public static final String ALGORITHM = "algorithm";
    public static final String KEY_STORAGE = "key-storage";
    public static final String STATUS = "status";
    public static final String EXPIRING_WITHIN = "expiring-within";
    public static final String NEVER_RENEWED = "never-renewed";
    public static final String IDEVID_REVOKED_LDEVID_ALIVE = "idevid-revoked-ldevid-alive";
    public static final String DEPRECATED = "deprecated";
    public static final String SEEN_WITHIN = "seen-within";
    public static final String NOT_SEEN_WITHIN = "not-seen-within";

    static final List<String> NAMES = List.of(CA, PROFILE, ALGORITHM, KEY_STORAGE, STATUS, EXPIRING_WITHIN, NEVER_RENEWED,
            IDEVID_REVOKED_LDEVID_ALIVE, DEPRECATED, SEEN_WITHIN, NOT_SEEN_WITHIN);

    private InventoryFilters() {
    }

    /** A fresh map to fill: keeps the order filters were given, for messages. */
    public static Map<String, String> text() {
        return new LinkedHashMap<>();
    }

    /**
     * The filter {@code text} describes, judged at {@code now}.
     *
     * @param cas        the CA names the store knows
     * @param profiles   the profile names configured
     * @param deprecated the algorithms marked deprecated (for {@code deprecated=true})
     */
    static InventoryFilter parse(Map<String, String> text, Instant now, Set<String> cas, Set<String> profiles, List<String> deprecated) {
        for (String name : text.keySet()) {
            if (!NAMES.contains(name)) {
                throw HallmarkException.badInput("unknown inventory filter '" + name + "' (known: " + String.join(", ", NAMES) + ")");
            }
        }
        String ca = text.get(CA);
        if (ca != null && !cas.contains(ca)) throw HallmarkException.badInput("no CA '" + ca + "' (known: " + String.join(", ", new java.util.TreeSet<>(cas)) + ")");
        String profile = text.get(PROFILE);
        if (profile != null && !profiles.contains(profile)) {
            throw HallmarkException.badInput("no profile '" + profile + "' (known: " + String.join(", ", new java.util.TreeSet<>(profiles)) + ")");
        }
        List<String> algorithms = null;
        if (text.get(ALGORITHM) != null) algorithms = List.of(CertificateKeyAlgorithm.parse(text.get(ALGORITHM)));
        if (flag(text, DEPRECATED)) {
            algorithms = algorithms == null ? deprecated : algorithms.stream().filter(deprecated::contains).toList();
        }
        String keyStorage = text.get(KEY_STORAGE);
        if (keyStorage != null && !FactoryItem.KEY_STORAGE.contains(keyStorage)) {
            throw HallmarkException.badInput("unknown key storage '" + keyStorage + "' (known: " + String.join(", ", new java.util.TreeSet<>(FactoryItem.KEY_STORAGE)) + ")");
        }
        InventoryStatus status = text.get(STATUS) == null ? null : status(text.get(STATUS));
        Instant expiringBefore = text.get(EXPIRING_WITHIN) == null ? null : now.plus(Validity.parseDuration(text.get(EXPIRING_WITHIN)));
        Instant seenSince = since(text, SEEN_WITHIN, now);
        Instant notSeenSince = since(text, NOT_SEEN_WITHIN, now);
        return new InventoryFilter(now, ca, profile, algorithms, keyStorage, status, expiringBefore, flag(text, NEVER_RENEWED),
                flag(text, IDEVID_REVOKED_LDEVID_ALIVE), seenSince, notSeenSince);
    }

    /** {@code now} less the duration (30d, 12h) filter {@code name} gives; null when it is not given. */
    private static Instant since(Map<String, String> text, String name, Instant now) {
        String value = text.get(name);
        if (value == null) return null;
        try {
            return now.minus(Validity.parseDuration(value));
        } catch (HallmarkException e) {
            throw HallmarkException.badInput(name + ": " + e.getMessage());
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw HallmarkException.badInput(name + ": '" + value + "' reaches before any time this store can hold");
        }
    }

    private static InventoryStatus status(String text) {
        for (InventoryStatus s : InventoryStatus.values()) {
            if (s.id().equals(text.trim().toLowerCase(Locale.ROOT))) return s;
        }
        throw HallmarkException.badInput("unknown status '" + text + "' (known: valid, revoked, expired)");
    }

    /** A yes/no filter: absent or {@code false} is off, {@code true} (or empty, as {@code ?never-renewed}) is on. */
    private static boolean flag(Map<String, String> text, String name) {
        String v = text.get(name);
        if (v == null || v.equals("false")) return false;
        if (v.isEmpty() || v.equals("true")) return true;
        throw HallmarkException.badInput(name + " takes true or false, not '" + v + "'");
    }
}
