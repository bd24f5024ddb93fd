package io.hallmark.core.factory;

import io.hallmark.core.error.HallmarkException;

/**
 * How to run one batch.
 *
 * @param station         the requesting station (its rights are checked and its quota spent), or null for
 *                        an operator's local run
 * @param actor           for the audit log, e.g. {@code station:line-3} or {@code cli:alice}
 * @param chunkSize       items per transaction; an item is answered only once its chunk committed
 * @param workers         threads verifying CSRs and signing
 * @param checkEvery      re-verify every n-th fresh signature (1: every one); see {@link io.hallmark.core.issue.IssuanceSigner}
 */
public record FactoryBatch(String ca, String profile, String station, String actor, int chunkSize, int workers, int checkEvery) {

    public static final int DEFAULT_CHUNK = 1000;
    public static final int DEFAULT_CHECK_EVERY = 32;

    public FactoryBatch {
        if (chunkSize < 1 || chunkSize > 10_000) {
            throw HallmarkException.badInput("chunk size must be between 1 and 10000, not " + chunkSize);
        }
        if (workers < 1 || workers > 256) {
            throw HallmarkException.badInput("workers must be between 1 and 256, not " + workers);
        }
        if (checkEvery < 1) {
            throw HallmarkException.badInput("signature check interval must be at least 1");
        }
    }

    public static FactoryBatch of(String ca, String profile, String station, String actor) {
        return new FactoryBatch(ca, profile, station, actor, DEFAULT_CHUNK, Runtime.getRuntime().availableProcessors(), DEFAULT_CHECK_EVERY);
    }

    public FactoryBatch withChunkSize(int n) {
        return new FactoryBatch(ca, profile, station, actor, n, workers, checkEvery);
    }

    public FactoryBatch withWorkers(int n) {
        return new FactoryBatch(ca, profile, station, actor, chunkSize, n, checkEvery);
    }

    public FactoryBatch withCheckEvery(int n) {
        return new FactoryBatch(ca, profile, station, actor, chunkSize, workers, n);
    }
}
