package io.hallmark.server;

import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.concurrent.Executor;

/**
 * The plain listener's connector: sets up and tears down each connection on the thread that accepted or
 * closed it instead of handing both to the thread pool. Jetty's selector passes every accepted channel to a
 * pool thread to create its end point and connection, and every closed end point to another to run its
 * close listeners; both are a few allocations and map updates that never block, so the two hand-offs (a
 * queue, a parked thread woken, two context switches on a small machine) cost more than the work. With a new
 * connection per OCSP request that was a large part of the per-request CPU (docs/benchmarks.md).
 * <p>
 * Only once the selectors run: while they start, the selector manager also hands each selector's own loop to
 * the pool, which must not run here.
 */
final class InlineConnector extends ServerConnector {

    InlineConnector(Server server, ConnectionFactory factory) {
        super(server, 0, -1, factory);
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new ServerConnectorManager(executor, scheduler, selectors) {
            @Override
            protected void execute(Runnable task) {
                if (isStarted()) {
                    task.run();
                } else {
                    super.execute(task);
                }
            }
        };
    }
}
