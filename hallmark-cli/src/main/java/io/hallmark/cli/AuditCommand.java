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
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListEntries.class, AuditCommand.TakeCheckpoint.class})
final class AuditCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "verify", description = {"Walk the audit chain, check that it reaches the head the database records, "
            + "and report the first altered, unlinked or missing entry (entries cut off the end included).",
            "Exit 0 if intact, 7 if broken. Someone who can write the database can move its head along with a cut or rewritten "
            + "tail: --checkpoint FILE also proves that the log extends a signed checkpoint kept elsewhere ('audit checkpoint')."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Mixin
        Output.JsonOption output;

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "A signed checkpoint: the log must still hold its entry count with its head hash.")
        java.nio.file.Path checkpoint;
        @Option(names = "--vkey", paramLabel = "FILE", description = "A verifier key of the audit log (kept with the checkpoints): the Ed25519 "
                + "one, or the post-quantum one, whose signature line is then checked; default: the installation's (both lines, when the "
                + "checkpoint carries a post-quantum one).")
        java.nio.file.Path vkey;

        @Override
        public Integer call() {
            if (checkpoint != null) return verifyCheckpoint();
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

        private Integer verifyCheckpoint() {
            String note = new String(BoundedFiles.read(checkpoint, io.hallmark.core.audit.SignedNote.MAX_BYTES), java.nio.charset.StandardCharsets.UTF_8);
            var key = vkey == null ? null : io.hallmark.core.audit.SignedNote.VerifierKey.parse(
                    new String(BoundedFiles.read(vkey, io.hallmark.core.audit.SignedNote.MAX_VKEY_BYTES), java.nio.charset.StandardCharsets.UTF_8));
            var result = audit.root.open().checkpoints().verify(note, key);
            if (output.json) {
                Output.json(result);
            } else if (result.extendsCheckpoint()) {
                System.out.println("audit log extends the checkpoint of " + result.checkpoint().time() + ": entry " + result.checkpoint().size()
                        + " has head " + result.checkpoint().headHash() + "; the chain is intact (" + result.entries() + " entries)");
                System.out.println("signatures verified: " + String.join(", ", result.verified()));
            } else {
                System.err.println("hallmark: audit log does not extend " + checkpoint + ": " + result.problem()
                        + (result.verified().isEmpty() ? "" : " (signatures verified: " + String.join(", ", result.verified()) + ")"));
            }
            return result.extendsCheckpoint() ? 0 : ExitCodes.AUDIT_BROKEN;
        }
    }

    @Command(name = "checkpoint", description = {"Sign a checkpoint of the audit log (entry count, head hash, time) in the C2SP "
            + "signed-note / tlog-checkpoint format, with the installation's audit key (an Ed25519 key in the vault, made on first use), "
            + "and, when the installation has a post-quantum root CA, a second line by an audit key of that root's algorithm.",
            "Keep checkpoints away from the database (see docs/key-custody.md); 'audit verify --checkpoint FILE' proves a later log extends one."})
    static final class TakeCheckpoint implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the checkpoint.")
        java.nio.file.Path out;
        @Option(names = "--vkey-out", paramLabel = "FILE", description = "Also write the audit key's (Ed25519) verifier key here.")
        java.nio.file.Path vkeyOut;
        @Option(names = "--pq-vkey-out", paramLabel = "FILE", description = "Also write the post-quantum audit key's verifier key here "
                + "(when the checkpoint carries a post-quantum line).")
        java.nio.file.Path pqVkeyOut;

        @Override
        public Integer call() {
            var hallmark = audit.root.open();
            var checkpoints = hallmark.checkpoints();
            var taken = checkpoints.takeCheckpoint(HallmarkCommand.actor(), out.toString());
            String note = taken.note();
            CaCommand.write(out, note.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String vkey = taken.signers().getFirst().encoded();
            if (vkeyOut != null) CaCommand.write(vkeyOut, (vkey + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var pq = taken.signers().stream().filter(io.hallmark.core.audit.SignedNote.VerifierKey::postQuantum).findFirst();
            if (pqVkeyOut != null && pq.isPresent()) {
                CaCommand.write(pqVkeyOut, (pq.get().encoded() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            var body = io.hallmark.core.audit.Checkpoint.parse(note.substring(0, note.lastIndexOf("\n\n") + 1));
            System.out.println("checkpoint of " + body.size() + " entries, head " + body.headHash() + ", written to " + out);
            System.out.println("signed by: " + String.join(", ", taken.signers().stream().map(io.hallmark.core.audit.SignedNote.VerifierKey::label).toList()));
            System.out.println("verifier key: " + vkey);
            pq.ifPresent(k -> System.out.println("post-quantum verifier key: " + (pqVkeyOut != null ? "written to " + pqVkeyOut : k.encoded())));
            if (taken.warning() != null) System.err.println("hallmark: warning: " + taken.warning());
            if (pqVkeyOut != null && pq.isEmpty() && taken.warning() == null) {
                System.err.println("hallmark: warning: no post-quantum line (the installation has no post-quantum root CA), " + pqVkeyOut + " not written");
            }
            return 0;
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
