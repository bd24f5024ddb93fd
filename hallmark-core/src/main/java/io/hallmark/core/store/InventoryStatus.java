package io.hallmark.core.store;

/** A certificate's state at a given instant, as inventory queries filter and count it. */
public enum InventoryStatus {
    VALID, REVOKED, EXPIRED;

    /** The lowercase name used by the CLI, the API and JSON. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
