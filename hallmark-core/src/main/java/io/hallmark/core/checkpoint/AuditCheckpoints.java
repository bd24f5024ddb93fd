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
 *
 * <p>When the installation has a post-quantum root CA, a checkpoint also carries a second signature line, by a second
 * audit key of the newest such root's algorithm (ML-DSA, SLH-DSA or composite), under the same name: C2SP verifiers that
 * know only the Ed25519 key ignore it, and a verifier given the post-quantum key checks that line. That key too is made
 * on first use in the Ed25519 key's vault, stored ({@value #PQ_KEY}) and announced by an {@code audit.key} entry; when the
 * newest post-quantum root's algorithm changes, a new one of that algorithm is made. A vault that cannot hold
 * post-quantum keys (PKCS#11) leaves checkpoints with the Ed25519 line only, and {@link Taken#warning} says so.
 */
public final class AuditCheckpoints {

    static final String KEY = "audit.checkpointKey";
    static final String PQ_KEY = "audit.checkpointKeyPostQuantum";
    private static final System.Logger LOG = System.getLogger(AuditCheckpoints.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored choice of key: where it lives and the verifier key anyone may hold. */
    record KeyRecord(String ref, String vkey) {
    }

    /**
     * What verification against a checkpoint found. {@code problem} is null when the log extends it; {@code verified}
     * names the signature lines that verified (algorithm, key name and key ID).
     */
    public record Result(Checkpoint checkpoint, long entries, String problem, java.util.List<String> verified) {
        public Result {
            verified = java.util.List.copyOf(verified);
        }

        public Result(Checkpoint checkpoint, long entries, String problem) {
            this(checkpoint, entries, problem, java.util.List.of());
        }

        public boolean extendsCheckpoint() {
            return problem == null;
        }
    }

    /**
     * A checkpoint just taken: the note, the keys that signed it (Ed25519 first), and why it has no post-quantum line
     * although the installation has a post-quantum root (null otherwise).
     */
    public record Taken(String note, java.util.List<SignedNote.VerifierKey> signers, String warning) {
        public Taken {
            signers = java.util.List.copyOf(signers);
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
        Taken taken = takeCheckpoint(actor, where);
        if (taken.warning() != null) LOG.log(System.Logger.Level.WARNING, taken.warning());
        return taken.note();
    }

    /** As {@link #take}, saying which keys signed and why a post-quantum line is missing, if it is. */
    public Taken takeCheckpoint(String actor, String where) {
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
        java.util.List<SignedNote.Signer> signers = new java.util.ArrayList<>();
        signers.add(new SignedNote.Signer(vkey, handle::sign));
        String warning = null;
        KeyAlgorithm wanted = postQuantumAlgorithm();
        String pqName = null;
        if (wanted != null) {
            String vault = KeyVaults.schemeOf(key.ref()); // the Ed25519 key's vault holds the second key too
            String refused = vaults.refusal(vault, wanted);
            if (refused != null) {
                warning = "this installation has a " + wanted.id() + " root CA, but its checkpoints carry the Ed25519 signature only: " + refused;
            } else {
                KeyRecord pq = storedPostQuantum().filter(k -> SignedNote.VerifierKey.parse(k.vkey()).algorithm() == wanted)
                        .orElseGet(() -> createPostQuantum(actor, vault, vkey.name(), wanted));
                KeyHandle pqHandle = vaults.open(pq.ref());
                SignedNote.VerifierKey pqKey = SignedNote.VerifierKey.parse(pq.vkey());
                if (!java.util.Arrays.equals(SignedNote.VerifierKey.of(pqKey.name(), pqHandle.publicKey()).publicKey(), pqKey.publicKey())) {
                    throw HallmarkException.badInput("the post-quantum audit key " + pq.ref() + " is not the one the configuration names");
                }
                signers.add(new SignedNote.Signer(pqKey, pqHandle::sign));
                pqName = pqKey.label();
            }
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // RFC 3339 to the second, as logs write it
        Checkpoint checkpoint = new Checkpoint(vkey.name(), chain.entries(), chain.headHash(), now);
        String note = SignedNote.sign(checkpoint.body(), signers);
        String[] details = pqName == null
                ? new String[]{"head", checkpoint.headHash(), "key", vkey.name(), "file", where}
                : new String[]{"head", checkpoint.headHash(), "key", vkey.name(), "postQuantumKey", pqName, "file", where};
        store.run(tx -> tx.audit().append(actor, AuditEvent.of("audit.checkpoint", Long.toString(checkpoint.size()), details), now));
        return new Taken(note, signers.stream().map(SignedNote.Signer::key).toList(), warning);
    }

    /** The post-quantum verifier key checkpoints are cosigned with now, if any was made. */
    public Optional<SignedNote.VerifierKey> postQuantumVerifierKey() {
        return storedPostQuantum().map(k -> SignedNote.VerifierKey.parse(k.vkey()));
    }

    /**
     * The algorithm of the newest post-quantum root CA (the one a checkpoint's second line follows), or null when the
     * installation has none.
     */
    public KeyAlgorithm postQuantumAlgorithm() {
        return store.read(tx -> tx.cas().all()).stream()
                .filter(ca -> ca.isRoot() && ca.algorithm() != null && ca.algorithm().postQuantum())
                .max(java.util.Comparator.comparing(io.hallmark.core.store.CertificateAuthority::createdAt))
                .map(io.hallmark.core.store.CertificateAuthority::algorithm).orElse(null);
    }

    /**
     * Whether the current log extends {@code note}: its signature verifies with {@code key} (the installation's when
     * null), the chain is intact, and its entry {@code size} has the checkpoint's head hash.
     */
    public Result verify(String note, SignedNote.VerifierKey key) {
        SignedNote.VerifierKey vkey = key != null ? key : verifierKey().orElseThrow(() -> HallmarkException.notFound(
                "this installation has no audit key yet (no checkpoint was ever taken); pass the verifier key with --vkey"));
        java.util.List<SignedNote.VerifierKey> keys = new java.util.ArrayList<>(java.util.List.of(vkey));
        if (key == null) { // the installation's own keys: its post-quantum line too, when the note carries one
            postQuantumVerifierKey().filter(pq -> SignedNote.carries(note, pq)).ifPresent(keys::add);
        }
        Checkpoint checkpoint = null;
        java.util.List<String> verified = new java.util.ArrayList<>();
        for (SignedNote.VerifierKey k : keys) {
            try {
                checkpoint = Checkpoint.parse(SignedNote.open(note, k));
                verified.add(k.label());
            } catch (HallmarkException e) {
                return new Result(null, 0, "the checkpoint's signature does not verify with " + k.label() + ": " + e.getMessage(), verified);
            }
        }
        if (!checkpoint.origin().equals(vkey.name())) {
            return new Result(checkpoint, 0, "the checkpoint is of log '" + checkpoint.origin() + "', not of " + vkey.name(), verified);
        }
        Checkpoint signed = checkpoint;
        String[] atSize = {signed.size() == 0 ? AuditChain.GENESIS : null};
        AuditVerification chain = store.read(tx -> {
            AuditChain.Verifier verifier = new AuditChain.Verifier(tx.audit().head());
            tx.audit().scan(e -> {
                verifier.accept(e);
                if (e.seq() == signed.size()) atSize[0] = e.hash();
            });
            return verifier.result();
        });
        if (!chain.intact()) {
            return new Result(checkpoint, chain.entries(), "the audit chain is broken at entry " + chain.brokenAt() + ": " + chain.problem(), verified);
        }
        if (atSize[0] == null) {
            return new Result(checkpoint, chain.entries(), "the log was cut: it has " + chain.entries() + " entries, the checkpoint of "
                    + checkpoint.time() + " covers " + checkpoint.size(), verified);
        }
        if (!atSize[0].equals(checkpoint.headHash())) {
            return new Result(checkpoint, chain.entries(), "the log was rewritten at or before entry " + checkpoint.size() + ": its hash is "
                    + atSize[0] + ", the checkpoint of " + checkpoint.time() + " signed " + checkpoint.headHash(), verified);
        }
        return new Result(checkpoint, chain.entries(), null, verified);
    }

    private Optional<KeyRecord> stored() {
        return stored(KEY);
    }

    private Optional<KeyRecord> storedPostQuantum() {
        return stored(PQ_KEY);
    }

    private Optional<KeyRecord> stored(String configKey) {
        return store.read(tx -> tx.config().get(configKey)).map(json -> {
            try {
                Map<?, ?> m = JSON.readValue(json, Map.class);
                return new KeyRecord((String) m.get("ref"), (String) m.get("vkey"));
            } catch (Exception e) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, "stored audit key is unreadable: " + e.getMessage(), e);
            }
        });
    }

    private KeyRecord create(String actor) {
        // Checkpoints are Ed25519 signed notes. A default vault that cannot make Ed25519 keys (PKCS#11: the JDK's provider
        // has no EdDSA) leaves the audit key to the software vault, sealed under the vault passphrase beside the token: the
        // database still does not hold it, and checkpoints keep working on an HSM installation.
        String scheme = vaults.refusal(null, KeyAlgorithm.ED25519) == null ? null : io.hallmark.core.vault.SoftwareKeyVault.SCHEME;
        KeyHandle handle = vaults.generate(scheme, "audit", KeyAlgorithm.ED25519);
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

    /**
     * Makes the post-quantum audit key, under the Ed25519 key's name (the log's name: a checkpoint's origin), and records
     * it unless another node made one of that algorithm meanwhile. It replaces a key of an older root's algorithm.
     */
    private KeyRecord createPostQuantum(String actor, String vault, String name, KeyAlgorithm algorithm) {
        KeyHandle handle = vaults.generate(vault, "audit-pq", algorithm);
        SignedNote.VerifierKey vkey = SignedNote.VerifierKey.of(name, handle.publicKey());
        KeyRecord record = new KeyRecord(handle.ref(), vkey.encoded());
        return store.inTransaction(tx -> {
            Optional<String> raced = tx.config().get(PQ_KEY);
            if (raced.isPresent() && raced.get().contains("\"" + algorithm.id() + "\"")) return null;
            try {
                tx.config().put(PQ_KEY, JSON.writeValueAsString(Map.of("ref", record.ref(), "vkey", record.vkey(), "algorithm", algorithm.id())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            tx.audit().append(actor, AuditEvent.of("audit.key", name, "key", handle.ref(), "algorithm", algorithm.id(), "vkey", record.vkey()),
                    clock.instant());
            return record;
        }) instanceof KeyRecord made ? made : storedPostQuantum().orElseThrow();
    }
}
