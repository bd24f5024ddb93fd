package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.Checkpoint;
import io.hallmark.core.audit.SignedNote;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.server.http.Router;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * Signed checkpoints of the audit log ('hallmark audit checkpoint', 'audit verify --checkpoint'): listing the ones
 * taken and verifying one is for auditors; signing one uses the installation's audit key, so it is admin only. The
 * signed note is in the answer only: keep it away from the database, as the CLI's file.
 */
final class CheckpointRoutes {

    /** The latest this many checkpoint entries are listed. */
    static final int MAX_LISTED = 1000;

    private final Hallmark hallmark;
    private final ApiAuth auth;

    CheckpointRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
    }

    void register(Router router) {
        router.add("GET", BASE + "/audit/checkpoints", x -> {
            auth.require(x, Permission.AUDIT);
            Deque<AuditEntry> taken = new ArrayDeque<>();
            hallmark.store().run(tx -> tx.audit().scan(e -> {
                if (!"audit.checkpoint".equals(e.action())) return;
                taken.addLast(e);
                if (taken.size() > MAX_LISTED) taken.removeFirst();
            }));
            String vkey = hallmark.checkpoints().verifierKey().map(SignedNote.VerifierKey::encoded).orElse(null);
            json(x, 200, new Listing(vkey, List.copyOf(taken)));
        });
        router.add("POST", BASE + "/audit/checkpoints", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            String note = hallmark.checkpoints().take(who.actor(), "api");
            Checkpoint body = Checkpoint.parse(note.substring(0, note.lastIndexOf("\n\n") + 1));
            json(x, 201, new Taken(note, hallmark.checkpoints().verifierKey().orElseThrow().encoded(), body.size(), body.headHash(),
                    body.time().toString()));
        });
        router.add("POST", BASE + "/audit/checkpoints/verify", x -> {
            auth.require(x, Permission.AUDIT);
            VerifyRequest r = jsonBody(x, VerifyRequest.class);
            if (r.checkpoint() == null || r.checkpoint().isBlank()) {
                throw HallmarkException.badInput("'checkpoint' (the signed note) is required");
            }
            if (r.checkpoint().length() > SignedNote.MAX_BYTES) {
                throw HallmarkException.badInput("'checkpoint' is longer than a signed checkpoint can be");
            }
            SignedNote.VerifierKey key = r.verifierKey() == null ? null : SignedNote.VerifierKey.parse(r.verifierKey().strip());
            var result = hallmark.checkpoints().verify(r.checkpoint(), key);
            json(x, 200, new Verified(result.extendsCheckpoint(), result.entries(), result.problem(),
                    result.checkpoint() == null ? null : result.checkpoint().size(), result.checkpoint() == null ? null : result.checkpoint().headHash()));
        });
    }

    record Listing(String verifierKey, List<AuditEntry> checkpoints) {
    }

    record Taken(String checkpoint, String verifierKey, long size, String headHash, String time) {
    }

    record VerifyRequest(String checkpoint, String verifierKey) {
    }

    record Verified(boolean extendsCheckpoint, long entries, String problem, Long checkpointSize, String checkpointHead) {
    }
}
