package io.hallmark.cli;

import io.hallmark.server.metrics.MetricsAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "metrics", description = "Settings of the Prometheus endpoint /metrics (docs/monitoring.md).",
        subcommands = MetricsCommand.Access.class)
final class MetricsCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "access", description = {"Show or set who may scrape /metrics, on every node at once: 'open' (default: anyone who "
            + "reaches a listener, the plain HTTP one included) or 'token' (HTTPS only, 'Authorization: Bearer' with a token of role "
            + "ingest, auditor, operator or admin; the plain listener answers 403)."})
    static final class Access implements Callable<Integer> {
        @ParentCommand
        MetricsCommand metrics;
        @Parameters(arity = "0..1", paramLabel = "open|token", description = "The new setting.")
        String access;

        @Override
        public Integer call() {
            var store = metrics.root.open().store();
            if (access != null) MetricsAccess.set(store, MetricsAccess.parse(access), HallmarkCommand.actor(), java.time.Instant.now());
            System.out.println("metrics access: " + MetricsAccess.read(store).id());
            return 0;
        }
    }
}
