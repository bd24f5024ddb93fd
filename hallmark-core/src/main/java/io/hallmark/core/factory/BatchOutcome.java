package io.hallmark.core.factory;

/** What the engine hands the sink for one item, in input order, after the item's chunk committed. */
public record BatchOutcome(FactoryResult result, FactoryItem item, Object attachment) {
}
