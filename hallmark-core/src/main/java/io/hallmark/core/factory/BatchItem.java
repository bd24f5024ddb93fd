package io.hallmark.core.factory;

/**
 * An item as a source hands it to the engine.
 *
 * @param item       null when the input could not be read as an item; then {@code inputError} says why
 * @param attachment anything the source wants back with the outcome (the simulator's device key); never stored
 */
public record BatchItem(FactoryItem item, String inputError, Object attachment) {

    public static BatchItem of(FactoryItem item) {
        return new BatchItem(item, null, null);
    }

    public static BatchItem unreadable(String error) {
        return new BatchItem(null, error, null);
    }
}
