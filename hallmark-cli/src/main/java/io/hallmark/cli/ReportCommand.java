package io.hallmark.cli;

import io.hallmark.core.posture.PostureReport;
import io.hallmark.core.posture.WhatIf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", description = "Reports computed from the store.", subcommands = ReportCommand.Posture.class)
final class ReportCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "posture", description = {"The PKI health radar: a 0-100 score on seven axes (CA key custody, hardware-backed "
            + "device keys, revocation freshness, expiry risk, crypto agility, audit integrity, telemetry coverage), each with its formula and the "
            + "numbers behind it, and their mean as 'overall' (docs/console.md, \"PKI health radar\").",
            "--what-if scores the fleet as it would be under the overrides, without writing anything."})
    static final class Posture implements Callable<Integer> {
        @ParentCommand
        ReportCommand report;
        @Mixin
        Output.JsonOption output;

        @Option(names = "--what-if", paramLabel = "KEY=VALUE", description = "hardware-keys=PERCENT (that share of device "
                + "identities on secure elements), root-in-hsm=true, cas-in-hsm=true, checkpoint=now. Repeatable.")
        List<String> whatIf = List.of();

        @Override
        public Integer call() {
            var overrides = WhatIf.parse(whatIf);
            var hallmark = report.root.open();
            var snapshot = hallmark.posture().snapshot(true);
            PostureReport r = WhatIf.score(snapshot, overrides);
            if (output.json) {
                Output.json(r);
                return 0;
            }
            if (!r.whatIf().isEmpty()) System.out.println("what if " + r.whatIf() + " (nothing written):");
            Output.table(System.out, List.of("AXIS", "SCORE", "EVIDENCE"), r.axes().stream()
                    .map(a -> List.of(a.name(), Integer.toString(a.score()), Output.safe(a.evidence()))).toList());
            System.out.println("overall " + r.overall());
            return 0;
        }
    }
}
