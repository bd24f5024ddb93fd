package io.hallmark.server.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for reading a request: a connection that has not delivered a whole request (its TLS handshake,
 * request line and headers, and a body an endpoint reads whole) within {@code deadline} of when one became
 * due is closed. Against slowloris: the idle timeout restarts with every byte, so a client sending one a
 * second is never idle, and Jetty 12's core handlers do not enforce HttpConfiguration's minimum data rate.
 * <p>
 * A request is due from the moment the connection opens, and again from the moment the previous response
 * completed, so a keep-alive connection left idle is also closed after {@code deadline}. The clock stops
 * when the request has been read: at its headers when it has no body, at the last byte of its body, or when
 * the endpoint takes the body as a stream it reads at its own pace ({@link #streaming}: factory batches,
 * which stream for as long as a batch lasts). Handling time never counts.
 * <p>
 * Connections are checked once a second (or four times per deadline, if shorter); add it to the connector
 * as a listener ({@code connector.addEventListener}) and wrap the handler with it.
 */
public final class ReadDeadline extends Handler.Wrapper implements Connection.Listener {

    private final long deadlineNanos;
    private final long periodMillis;
    /** The HTTP connections of the connector, with their clocks; TLS connections are seen through their HTTP one. */
    private final Map<Connection, Clock> connections = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    public ReadDeadline(Duration deadline, Handler handler) {
        super(handler);
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the read deadline must be positive, not " + deadline);
        }
        this.deadlineNanos = deadline.toNanos();
        this.periodMillis = Math.max(1, Math.min(1000, deadline.toMillis() / 4));
    }

    /** Since when a request has been due on a connection; 0 while none is (one is being handled). */
    private static final class Clock {
        volatile long since;

        Clock(long since) {
            this.since = since;
        }

        void start() {
            since = System.nanoTime();
        }

        void stop() {
            since = 0;
        }
    }

    @Override
    public void onOpened(Connection connection) {
        // The HTTP connection, not the TLS one beneath it (both are opened when a client connects): it is the
        // one a request names, and closing its end point closes the TLS one too.
        if (connection instanceof ConnectionMetaData) {
            connections.put(connection, new Clock(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        connections.remove(connection);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Clock clock = connections.get(request.getConnectionMetaData().getConnection());
        if (clock == null) {
            return super.handle(request, response, callback);
        }
        Request timed = request;
        if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            timed = new BodyClock(request, clock); // stops at the body's end
        } else {
            clock.stop();
        }
        return super.handle(timed, response, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                clock.start(); // the next request is due: before the connection reads it
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                clock.start();
                super.failed(x);
            }
        });
    }

    /** The endpoint reads the body as a stream, at its own pace (a factory batch): the deadline stops here. */
    public static void streaming(Request request) {
        BodyClock body = Request.as(request, BodyClock.class);
        if (body != null) body.clock.stop();
    }

    /** The request, with a clock that stops when its body's last chunk has been read. */
    private static final class BodyClock extends Request.Wrapper {
        private final Clock clock;

        BodyClock(Request request, Clock clock) {
            super(request);
            this.clock = clock;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) clock.stop();
            return chunk;
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        schedule();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        if (task != null) task.cancel();
        super.doStop();
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            sweep = getServer().getScheduler().schedule(this::sweep, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            connections.forEach((connection, clock) -> {
                long since = clock.since;
                if (since != 0 && now - since > deadlineNanos) {
                    connections.remove(connection);
                    connection.getEndPoint().close(); // no answer: a client this slow would not read one in time either
                }
            });
        } finally {
            schedule();
        }
    }
}
