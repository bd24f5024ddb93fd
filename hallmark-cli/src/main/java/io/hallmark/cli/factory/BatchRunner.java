package io.hallmark.cli.factory;

import io.hallmark.core.Hallmark;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultSink;

/**
 * Runs a batch somewhere: here against the local store ({@link #local}), or, once hallmark-server
 * exists, by streaming the items as NDJSON to {@code /api/v1/factory} with the station's client
 * certificate and feeding the response lines to the same sink. Sources and sinks do not change.
 */
public interface BatchRunner {

    BatchProgress run(ItemSource source, ResultSink sink);

    /** The chain PEM to write next to every certificate. */
    String chainPem();

    static BatchRunner local(Hallmark hallmark, FactoryBatch batch) {
        return new BatchRunner() {
            @Override
            public BatchProgress run(ItemSource source, ResultSink sink) {
                return hallmark.factory().run(batch, source, sink);
            }

            @Override
            public String chainPem() {
                return hallmark.factory().chainPem(batch.ca());
            }
        };
    }
}
