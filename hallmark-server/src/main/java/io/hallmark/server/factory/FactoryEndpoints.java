package io.hallmark.server.factory;

import io.hallmark.core.Hallmark;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.authorize.Grant;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.RateLimiter;
import io.hallmark.server.http.Router;

import java.io.OutputStream;
import java.util.List;

/**
 * Factory provisioning over HTTPS: a station, authenticated by its client certificate, streams device
 * requests (NDJSON, or length-prefixed CBOR frames: {@link WireFormat}, chosen by the Content-Type: {@link FactoryMediaTypes}) and
 * reads results back in the same format as they are committed. The request body is never held whole:
 * the engine reads a chunk ahead of its commit, so memory stays bounded whatever the batch size, and a
 * slow reader slows the station (TCP back-pressure). A result is written only after its chunk
 * committed: what the station has read survives a crash; what it has not, it sends again and gets back.
 */
public final class FactoryEndpoints {

    /** The response header naming the batch, as /api/v1/factory/batches/{id} and the audit log's factory.issue entries name it. */
    public static final String BATCH_HEADER = "Hallmark-Batch";

    private final Hallmark hallmark;
    private final RateLimiter limiter;

    public FactoryEndpoints(Hallmark hallmark) {
        this(hallmark, new RateLimiter("factory", RateLimiter.Limit.OFF));
    }

    /** @param limiter charged once per batch request: to the station once its rights are checked, else to its address */
    public FactoryEndpoints(Hallmark hallmark, RateLimiter limiter) {
        this.hallmark = hallmark;
        this.limiter = limiter;
    }

    public void register(Router router) {
        router.add("POST", "/api/v1/factory/{ca}/{profile}", this::batch);
        router.add("GET", "/api/v1/factory/{ca}/chain", x -> x.send(200, "application/pem-certificate-chain",
                hallmark.factory().chainPem(x.param("ca")).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    private void batch(Exchange x) throws Exception {
        if (!x.secure() || x.clientChain().isEmpty()) {
            throw new HttpError(401, "factory stations authenticate with their client certificate", java.util.Map.of("WWW-Authenticate", "Certificate"));
        }
        WireFormat wire = FactoryMediaTypes.forMediaType(x.contentType());
        if (wire == null) {
            throw new HttpError(415, "Content-Type must be " + FactoryMediaTypes.accepted());
        }
        String refusals = RateLimiter.refusals(x);
        limiter.refuseExhausted(refusals);
        // Rights are checked before the response starts, so a refused station gets a status, not a stream.
        Grant grant;
        try {
            grant = hallmark.factory().authorize(x.param("ca"), x.param("profile"), List.of(new Evidence.ClientCertificateChain(x.clientChain())));
        } catch (io.hallmark.core.error.HallmarkException e) {
            if (e.kind() == io.hallmark.core.error.HallmarkException.Kind.UNAUTHENTICATED || e.kind() == io.hallmark.core.error.HallmarkException.Kind.FORBIDDEN) {
                limiter.charge(refusals);
            }
            throw e;
        }
        limiter.acquire(RateLimiter.certificate(x.clientChain().getFirst()));
        FactoryBatch batch = FactoryBatch.of(x.param("ca"), x.param("profile"), grant).withDeclared(declaredSize(x));
        // The batch's name before its first result, for following it at /api/v1/factory/batches/{id}.
        String batchId = hallmark.factory().newBatchId();
        x.header(BATCH_HEADER, batchId);
        // Answered in the request's format, whatever Accept says: a station speaks one.
        OutputStream out = x.stream(200, FactoryMediaTypes.of(wire), wire::stopRecord);
        BatchProgress progress = hallmark.factory().run(batchId, batch, wire.items(x.bodyStream()), wire.results(out));
        out.flush();
        if (progress.failed() > 0) {
            org.slf4j.LoggerFactory.getLogger(FactoryEndpoints.class).info("factory batch: {} issued, {} existing, {} refused",
                    progress.issued(), progress.existing(), progress.failed());
        }
    }

    /** {@code ?size=N}: how many items the station says it will send, for the batch's progress; optional. */
    private static Long declaredSize(Exchange x) {
        String q = x.query();
        if (q == null) return null;
        for (String part : q.split("&")) {
            if (part.startsWith("size=")) {
                try {
                    long n = Long.parseLong(part.substring(5));
                    if (n >= 0) return n;
                } catch (NumberFormatException ignored) {
                    // the error below
                }
                throw new HttpError(400, "size must be a whole number of items, 0 or more");
            }
        }
        return null;
    }
}
