package io.hallmark.server.revoke;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.OcspResponder;
import io.hallmark.server.http.Exchange;
import io.hallmark.server.http.HttpError;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * The plain HTTP listener's front: answers OCSP on the I/O thread that parsed the request when the
 * responder has the answer at hand (a pre-produced response, or a refusal of a malformed request), so
 * the common case costs no thread hand-off. A cache miss or a nonce (store read, signature) finishes on
 * a virtual thread; every other request, and every OCSP request the router would refuse (wrong
 * Content-Type, declared body too large), goes to the router on a virtual thread, as on the HTTPS
 * listener. Answers are those of {@link RevocationEndpoints}, built by the same helpers.
 */
public final class OcspFastPath extends Handler.Abstract.NonBlocking {

    private final OcspResponder ocsp;
    private final Handler router;
    private final Executor blocking;
    private final HttpCaching caching;

    /**
     * @param blocking runs what may block (virtual threads); the router gets the requests not answered here
     * @param caching  the caching headers of answers to GET, those of {@link RevocationEndpoints#caching}
     */
    public OcspFastPath(OcspResponder ocsp, Handler router, Executor blocking, HttpCaching caching) {
        this.ocsp = ocsp;
        this.router = router;
        this.blocking = blocking;
        this.caching = caching;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange x = Exchange.of(request, response, callback);
        String path = x.path();
        if ("POST".equals(x.method()) && "/ocsp".equals(path)
                && RevocationEndpoints.typed(x) && x.length() <= RevocationEndpoints.MAX_OCSP_REQUEST) {
            new Body(request, callback, x).run();
        } else if ("GET".equals(x.method()) && path.startsWith("/ocsp/") && path.length() > 6 && path.charAt(6) != '/') {
            answer(x, callback, OcspGetRequest.der(RevocationEndpoints.encodedRequest(x)), true);
        } else {
            offload(callback, () -> router.handle(request, response, callback));
        }
        return true;
    }

    /** An OCSP request by method and path (answered or refused by the OCSP endpoints). */
    public static boolean isOcsp(Request request) {
        String path = Request.getPathInContext(request);
        return ("POST".equals(request.getMethod()) || "GET".equals(request.getMethod())) && (path.equals("/ocsp") || path.startsWith("/ocsp/"));
    }

    private void answer(Exchange x, Callback callback, byte[] der, boolean get) {
        byte[] ready = ocsp.respondIfReady(der);
        if (ready != null) {
            send(x, ready, get);
        } else {
            offload(callback, () -> {
                byte[] response;
                try {
                    response = ocsp.respond(der);
                } catch (HallmarkException e) {
                    // The store did not answer (the only thing respond throws): 503 with Retry-After, as the router says it.
                    x.error(HttpError.of(e));
                    return;
                }
                send(x, response, get);
            });
        }
    }

    /** An answer to GET says how long caches may keep it (or is 304); one to POST says nothing, caches do not keep those. */
    private void send(Exchange x, byte[] response, boolean get) {
        if (get) {
            caching.sendOcspGet(x, response);
        } else {
            x.send(200, RevocationEndpoints.OCSP_RESPONSE, response);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private void offload(Callback callback, Work work) {
        try {
            blocking.execute(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
        } catch (Throwable t) {
            callback.failed(t); // executor gone: the server is stopping
        }
    }

    /**
     * Collects a POST body without blocking: takes what has arrived and asks Jetty to call back when more
     * does. Bodies are small and usually arrive with the headers, so this mostly completes in one pass.
     */
    private final class Body implements Invocable.Task {
        private final Request request;
        private final Callback callback;
        private final Exchange x;
        private byte[] bytes;
        private int size;

        Body(Request request, Callback callback, Exchange x) {
            this.request = request;
            this.callback = callback;
            this.x = x;
            long declared = x.length();
            this.bytes = new byte[declared >= 0 ? (int) declared : 512];
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    x.error(new HttpError(400, "cannot read the request body: " + chunk.getFailure().getMessage()));
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                int n = buffer.remaining();
                if (size + n > RevocationEndpoints.MAX_OCSP_REQUEST) {
                    chunk.release();
                    x.error(HttpError.tooLarge(RevocationEndpoints.MAX_OCSP_REQUEST));
                    return;
                }
                if (size + n > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
                }
                buffer.get(bytes, size, n);
                size += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    answer(x, callback, size == bytes.length ? bytes : Arrays.copyOf(bytes, size), false);
                    return;
                }
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING; // it only copies bytes; answering may offload
        }
    }
}
