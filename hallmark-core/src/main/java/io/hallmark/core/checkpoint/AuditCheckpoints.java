package io.hallmark.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.audit.Checkpoint;
import io.hallmark.core.audit.SignedNote;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Signed checkpoints of the audit log. The chain alone detects an edited entry, but someone with write access to the
 * database can recompute the chain over a rewritten or cut tail, and move the head with it. A checkpoint (entry
 * count, head hash, time) signed by a key the database does not hold, and kept elsewhere, pins the log as it was:
 * a later log must still have that hash at that entry.
 *
 * <p>The audit key is an Ed25519 key in the default vault, made on first use (the first checkpoint) rather than at
 * init, so installations made before checkpoints existed get one without a migration. Its reference and verifier
 * key are stored in the shared configuration ({@value #KEY}) and announced by an {@code audit.key} entry.
 */
public final class AuditCheckpoints {

    static final String KEY = "audit.checkpointKey";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored choice of key: where it lives and the verifier key anyone may hold. */
    record KeyRecord(String ref, String vkey) {
    }

    /** What verification against a checkpoint found. {@code problem} is null when the log extends it. */
    public record Result(Checkpoint checkpoint, long entries, String problem) {
        public boolean extendsCheckpoint() {
            return problem == null;
        }
    }

    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;

    public AuditCheckpoints(Store store, KeyVaults vaults, Clock clock) {
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
    }

    /** The installation's verifier key, if a checkpoint was ever taken. */
    public Optional<SignedNote.VerifierKey> verifierKey() {
        return stored().map(k -> SignedNote.VerifierKey.parse(k.vkey()));
    }

    /**
     * Verifies the chain, signs a checkpoint of it, and records that in the log (after the checkpoint, so the entry is
     * the first the next checkpoint covers). A broken chain is refused: a signature over it would vouch for tampering.
     */
    public String take(String actor, String where) {
        KeyRecord key = stored().orElseGet(() -> create(actor));
        KeyHandle handle = vaults.open(key.ref());
        SignedNote.VerifierKey vkey = SignedNote.VerifierKey.parse(key.vkey());
        if (!java.util.Arrays.equals(SignedNote.VerifierKey.of(vkey.name(), handle.publicKey()).publicKey(), vkey.publicKey())) {
            throw HallmarkException.badInput("the audit key " + key.ref() + " is not the one the configuration names (" + vkey.encoded() + ")");
        }
        AuditVerification chain = store.read(tx -> tx.audit().verify());
        if (!chain.intact()) {
            throw HallmarkException.badInput("the audit chain is broken at entry " + chain.brokenAt() + " (" + chain.problem() + "); no checkpoint signed");
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // RFC 3339 to the second, as logs write it
        Checkpoint checkpoint = new Checkpoint(vkey.name(), chain.entries(), chain.headHash(), now);
        String note = SignedNote.sign(checkpoint.body(), vkey, handle::sign);
        store.run(tx -> tx.audit().append(actor, AuditEvent.of("audit.checkpoint", Long.toString(checkpoint.size()),
                "head", checkpoint.headHash(), "key", vkey.name(), "file", where), now));
        return note;
    }

    /**
     * Whether the current log extends {@code note}: its signature verifies with {@code key} (the installation's when
     * null), the chain is intact, and its entry {@code size} has the checkpoint's head hash.
     */
    public Result verify(String note, SignedNote.VerifierKey key) {
        SignedNote.VerifierKey vkey = key != null ? key : verifierKey().orElseThrow(() -> HallmarkException.notFound(
                "this installation has no audit key yet (no checkpoint was ever taken); pass the verifier key with --vkey"));
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(SignedNote.open(note, vkey));
        } catch (HallmarkException e) {
            return new Result(null, 0, "the checkpoint's signature does not verify with " + vkey.name() + ": " + e.getMessage());
        }
        if (!checkpoint.origin().equals(vkey.name())) {
            return new Result(checkpoint, 0, "the checkpoint is of log '" + checkpoint.origin() + "', not of " + vkey.name());
        }
        String[] atSize = {checkpoint.size() == 0 ? AuditChain.GENESIS : null};
        AuditVerification chain = store.read(tx -> {
            AuditChain.Verifier verifier = new AuditChain.Verifier(tx.audit().head());
            tx.audit().scan(e -> {
                verifier.accept(e);
                if (e.seq() == checkpoint.size()) atSize[0] = e.hash();
            });
            return verifier.result();
        });
        if (!chain.intact()) {
            return new Result(checkpoint, chain.entries(), "the audit chain is broken at entry " + chain.brokenAt() + ": " + chain.problem());
        }
        if (atSize[0] == null) {
            return new Result(checkpoint, chain.entries(), "the log was cut: it has " + chain.entries() + " entries, the checkpoint of "
                    + checkpoint.time() + " covers " + checkpoint.size());
        }
        if (!atSize[0].equals(checkpoint.headHash())) {
            return new Result(checkpoint, chain.entries(), "the log was rewritten at or before entry " + checkpoint.size() + ": its hash is "
                    + atSize[0] + ", the checkpoint of " + checkpoint.time() + " signed " + checkpoint.headHash());
        }
        return new Result(checkpoint, chain.entries(), null);
    }

    private Optional<KeyRecord> stored() {
        return store.read(tx -> tx.config().get(KEY)).map(json -> {
            try {
                Map<?, ?> m = JSON.readValue(json, Map.class);
                return new KeyRecord((String) m.get("ref"), (String) m.get("vkey"));
            } catch (Exception e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored audit key is unreadable: " + e.getMessage(), e);
            }
        });
    }

    private KeyRecord create(String actor) {
        KeyHandle handle = vaults.generate(null, "audit", KeyAlgorithm.ED25519);
        byte[] raw = SignedNote.VerifierKey.of("x", handle.publicKey()).publicKey();
        // The name says what the log is and which key signs it, so two installations' checkpoints are never confused.
        String name = "hallmark-audit/" + HexFormat.of().formatHex(Fingerprints.sha256(raw)).substring(0, 16);
        SignedNote.VerifierKey vkey = new SignedNote.VerifierKey(name, raw);
        KeyRecord record = new KeyRecord(handle.ref(), vkey.encoded());
        return store.inTransaction(tx -> {
            Optional<String> raced = tx.config().get(KEY); // another node made one meanwhile: use that one
            if (raced.isPresent()) return null;
            try {
                tx.config().put(KEY, JSON.writeValueAsString(Map.of("ref", record.ref(), "vkey", record.vkey())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            tx.audit().append(actor, AuditEvent.of("audit.key", name, "key", handle.ref(), "vkey", record.vkey()), clock.instant());
            return record;
        }) instanceof KeyRecord made ? made : stored().orElseThrow();
    }
}
