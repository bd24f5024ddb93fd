package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.StationRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** 'hallmark station disable|enable|quota': changing a registered station, audited, in force on every node at its next chunk. */
final class StationChangeCommand {

    private StationChangeCommand() {
    }

    @Command(name = "disable", description = {"Disable a station: it may issue nothing until enabled again; a batch it is running stops at its next chunk.",
            "Its record, certificate and issued count stay (to shut a stolen station out for good, revoke its certificate)."})
    static final class Disable implements Callable<Integer> {
        @ParentCommand
        StationCommand parent;
        @Parameters(paramLabel = "NAME", description = "The station.")
        String name;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            return report(parent.root.open().stations().disable(name, HallmarkCommand.actor()), output.json);
        }
    }

    @Command(name = "enable", description = "Enable a disabled station again.")
    static final class Enable implements Callable<Integer> {
        @ParentCommand
        StationCommand parent;
        @Parameters(paramLabel = "NAME", description = "The station.")
        String name;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            return report(parent.root.open().stations().enable(name, HallmarkCommand.actor()), output.json);
        }
    }

    @Command(name = "quota", description = {"Change how many certificates a station may obtain in all (replays are free).",
            "A quota below what it already obtained lets it obtain nothing more."})
    static final class Quota implements Callable<Integer> {
        @ParentCommand
        StationCommand parent;
        @Parameters(paramLabel = "NAME", description = "The station.")
        String name;

        @ArgGroup(multiplicity = "1")
        Limit limit;

        static final class Limit {
            @Option(names = "--set", paramLabel = "N", description = "The new quota.")
            Long set;
            @Option(names = "--unlimited", description = "No limit.")
            boolean unlimited;
        }

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            if (limit.set != null && limit.set < 0) throw HallmarkException.badInput("--set must be 0 or more");
            return report(parent.root.open().stations().setQuota(name, limit.unlimited ? null : limit.set, HallmarkCommand.actor()), output.json);
        }
    }

    private static int report(StationRecord s, boolean json) {
        if (json) {
            Output.json(StationCommand.StationRow.of(s));
        } else {
            System.out.println("station " + s.name() + ": " + (s.disabledAt() == null ? "enabled" : "disabled since " + s.disabledAt())
                    + ", quota " + (s.quota() == null ? "unlimited" : s.quota()) + ", issued " + s.issued());
        }
        return 0;
    }
}
