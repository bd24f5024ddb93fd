package io.hallmark.cli;

import io.hallmark.core.factory.BatchStatus;
import io.hallmark.core.factory.FactoryBatches;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** 'hallmark factory batches' and 'hallmark factory batch ID': the batches the store recorded, with their progress. */
final class FactoryBatchesCommand {

    private FactoryBatchesCommand() {
    }

    @Command(name = "batches", description = {"List factory batches, newest first: state (running, idle, done, failed), progress and rate.",
            "Both factory paths record them: 'factory run' here and stations over HTTPS (/api/v1/factory/batches)."})
    static final class ListBatches implements Callable<Integer> {

        @ParentCommand
        FactoryCommand parent;

        @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most this many (default ${DEFAULT-VALUE}, at most 1000).")
        int limit;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            FactoryBatches.Page page = parent.root.open().factoryBatches().page(null, limit);
            if (output.json) {
                Output.json(page.batches());
                return 0;
            }
            Output.table(System.out, List.of("ID", "STATE", "STARTED", "BY", "ROUTE", "DONE", "ISSUED", "FAILED", "PER SECOND"),
                    page.batches().stream().map(b -> List.of(b.id(), b.state(), b.startedAt().toString(), b.actor(), b.ca() + "/" + b.profile(),
                            done(b), Long.toString(b.issued()), Long.toString(b.failed()), Double.toString(b.perSecond()))).toList());
            if (page.next() != null) System.err.println("showing the latest " + page.batches().size() + "; more with --limit or the API's cursor");
            return 0;
        }
    }

    @Command(name = "batch", description = "Show one factory batch and its progress.")
    static final class ShowBatch implements Callable<Integer> {

        @ParentCommand
        FactoryCommand parent;

        @Parameters(paramLabel = "ID", description = "The batch id ('factory run' prints it; 'factory batches' lists them).")
        String id;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            BatchStatus b = parent.root.open().factoryBatches().get(id);
            if (output.json) {
                Output.json(b);
                return 0;
            }
            Output.fields(System.out, "id", b.id(), "state", b.state(), "route", b.ca() + "/" + b.profile(),
                    "station", b.station() == null ? "-" : b.station(), "by", b.actor(), "done", done(b),
                    "issued", b.issued(), "existing", b.existing(), "failed", b.failed(), "chunks", b.chunks(),
                    "per second", b.perSecond(), "started", b.startedAt(), "last activity", b.lastActivity(),
                    "ended", b.endedAt() == null ? "-" : b.endedAt(), "error", b.error() == null ? "-" : b.error());
            return 0;
        }
    }

    private static String done(BatchStatus b) {
        return b.declared() == null ? Long.toString(b.done()) : b.done() + "/" + b.declared();
    }
}
