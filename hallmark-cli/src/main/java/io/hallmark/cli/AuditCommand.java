package io.hallmark.cli;

import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.AuditVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "audit", description = "Read and verify the hash-chained audit log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListEntries.class})
final class AuditCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "verify", description = {"Walk the audit chain, check that it reaches the head the database records, "
            + "and report the first altered, unlinked or missing entry (entries cut off the end included).",
            "Exit 0 if intact, 7 if broken. Record the printed head hash elsewhere too: someone who can write the database "
            + "can move its head along with a cut or rewritten tail."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            AuditVerification v = audit.root.open().verifyAudit();
            if (output.json) {
                Output.json(v);
            } else if (v.intact()) {
                System.out.println("audit chain intact: " + v.entries() + " entries, head " + v.headHash());
            } else {
                System.err.println("hallmark: audit chain broken at entry " + v.brokenAt() + ": " + v.problem());
            }
            return v.intact() ? 0 : ExitCodes.AUDIT_BROKEN;
        }
    }

    @Command(name = "list", description = "Show the latest audit entries.")
    static final class ListEntries implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "The latest this many (default ${DEFAULT-VALUE}); stderr says when there are more.")
        int limit;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            Deque<AuditEntry> last = new ArrayDeque<>();
            long[] seen = {0};
            audit.root.open().store().run(tx -> tx.audit().scan(e -> {
                seen[0]++;
                last.addLast(e);
                if (last.size() > Math.max(1, limit)) last.removeFirst();
            }));
            List<AuditEntry> entries = new ArrayList<>(last);
            if (output.json) {
                Output.json(entries);
            } else {
                Output.table(System.out, List.of("SEQ", "TIME", "ACTOR", "ACTION", "SUBJECT", "DETAILS"),
                        entries.stream().map(e -> List.of(Long.toString(e.seq()), e.at().toString(), e.actor(), e.action(),
                                e.subject() == null ? "-" : e.subject(), e.details())).toList());
            }
            if (seen[0] > last.size()) {
                System.err.println("hallmark: showing the latest " + last.size() + " of " + seen[0] + " entries; use --limit N to see more");
            }
            return 0;
        }
    }
}
