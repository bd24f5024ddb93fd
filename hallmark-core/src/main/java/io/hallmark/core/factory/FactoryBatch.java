package io.hallmark.core.factory;

import io.hallmark.core.authorize.Grant;
import io.hallmark.core.error.HallmarkException;

/**
 * How to run one batch.
 *
 * @param grant           who asks and what it spends: a station's grant ({@link FactoryEngine#authorize}: its rights
 *                        are checked again and its quota spent in every chunk), or {@link Grant#operator} for an
 *                        operator's local run
 * @param chunkSize       items per transaction; an item is answered only once its chunk committed
 * @param workers         threads verifying CSRs and signing
 * @param checkEvery      re-verify every n-th fresh signature (1: every one); see {@link io.hallmark.core.issue.IssuanceSigner}
 * @param declared        how many items the client says it will send, recorded with the batch for its progress; null when unknown
 */
public record FactoryBatch(String ca, String profile, Grant grant, int chunkSize, int workers, int checkEvery, Long declared) {

    public static final int DEFAULT_CHUNK = 1000;
    public static final int DEFAULT_CHECK_EVERY = 32;

    public FactoryBatch {
        java.util.Objects.requireNonNull(grant, "grant");
        if (chunkSize < 1 || chunkSize > 10_000) {
            throw HallmarkException.badInput("chunk size must be between 1 and 10000, not " + chunkSize);
        }
        if (workers < 1 || workers > 256) {
            throw HallmarkException.badInput("workers must be between 1 and 256, not " + workers);
        }
        if (checkEvery < 1) {
            throw HallmarkException.badInput("signature check interval must be at least 1");
        }
        if (declared != null && declared < 0) {
            throw HallmarkException.badInput("a batch's declared size must not be negative");
        }
    }

    public static FactoryBatch of(String ca, String profile, Grant grant) {
        return new FactoryBatch(ca, profile, grant, DEFAULT_CHUNK, Runtime.getRuntime().availableProcessors(), DEFAULT_CHECK_EVERY, null);
    }

    /** The station the batch runs for; null for an operator's local run. */
    public String station() {
        return grant.station();
    }

    /** Who asked, for the audit log: {@code station:line-3}, {@code cli:alice}. */
    public String actor() {
        return grant.actor();
    }

    public FactoryBatch withGrant(Grant g) {
        return new FactoryBatch(ca, profile, g, chunkSize, workers, checkEvery, declared);
    }

    public FactoryBatch withChunkSize(int n) {
        return new FactoryBatch(ca, profile, grant, n, workers, checkEvery, declared);
    }

    public FactoryBatch withWorkers(int n) {
        return new FactoryBatch(ca, profile, grant, chunkSize, n, checkEvery, declared);
    }

    public FactoryBatch withCheckEvery(int n) {
        return new FactoryBatch(ca, profile, grant, chunkSize, workers, n, declared);
    }

    public FactoryBatch withDeclared(Long n) {
        return new FactoryBatch(ca, profile, grant, chunkSize, workers, checkEvery, n);
    }
}
