package io.hallmark.cli;

import io.hallmark.cli.factory.BatchRunner;
import io.hallmark.cli.factory.BundleWriter;
import io.hallmark.cli.factory.Progress;
import io.hallmark.cli.factory.Sources;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultSink;
import io.hallmark.core.store.RevocationReason;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "factory", description = "Factory provisioning: issue IDevIDs for batches of devices.",
        subcommands = {FactoryCommand.Run.class, FactoryProvisionCommand.class, FactoryCommand.Reprovision.class, FactoryBatchesCommand.ListBatches.class,
                FactoryBatchesCommand.ShowBatch.class})
final class FactoryCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "run", description = {"Provision a batch of devices against the local store, or with --server on a Hallmark server as a station.",
            "Each device gets exactly one identity per profile: running a batch again returns the stored "
                    + "certificates (same key) and refuses a second key, so a batch interrupted at any point is "
                    + "completed by running it again. Writes per-device bundles and a manifest (CSV and JSON) to --out."})
    static final class Run implements Callable<Integer> {

        @ParentCommand
        FactoryCommand parent;

        @ArgGroup(multiplicity = "1")
        Input input;

        static final class Input {
            @Option(names = "--csr-dir", paramLabel = "DIR", description = "Directory of CSRs (*.csr, *.pem, *.der); device serial = file name.")
            Path csrDir;
            @Option(names = "--csv", paramLabel = "FILE", description = "CSV with header deviceSerial,csr[,hwType,hwSerial,keyStorage]; csr is a file or base64 DER.")
            Path csv;
            @Option(names = "--ndjson", paramLabel = "FILE", description = "NDJSON factory items, as /api/v1/factory takes them.")
            Path ndjson;
            @Option(names = "--simulate", paramLabel = "N", description = "Make up N devices with fresh P-256 keys (keys written to the bundles).")
            Long simulate;
        }

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory: chain.pem, devices/, manifest.csv, manifest.json.")
        Path out;

        @Option(names = "--key-storage", paramLabel = "KIND", description = "Default keyStorage for items that name none: secure-element, tpm, software.")
        String keyStorage;

        @Option(names = "--prefix", paramLabel = "TEXT", description = "With --simulate: device serial prefix (default SIM-<time>-).")
        String prefix;

        @Option(names = "--chunk", defaultValue = "1000", paramLabel = "N", description = "Devices per transaction (default ${DEFAULT-VALUE}).")
        int chunk;

        @Option(names = "--workers", paramLabel = "N", description = "Signing threads (default: one per core).")
        Integer workers;

        @Option(names = "--check-every", defaultValue = "32", paramLabel = "N",
                description = "Re-verify every N-th fresh signature with the CA key (1: all; default ${DEFAULT-VALUE}).")
        int checkEvery;

        @Option(names = "--bundles", defaultValue = "files", paramLabel = "LAYOUT",
                description = "Per-device bundles (certificate + chain; key in simulate mode): files (devices/XX/SERIAL.pem), "
                        + "zip (bundles/items-N.zip, one archive per 1000 items; for large batches: no million small files), "
                        + "none. Default ${DEFAULT-VALUE}.")
        String bundles;

        @Option(names = "--no-bundles", description = "Same as --bundles none: the manifest only.")
        boolean noBundles;

        @Mixin
        FactoryTarget target;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() throws Exception {
            target.check();
            boolean remote = target.remote();
            if (remote && (workers != null || chunk != 1000 || checkEvery != 32)) {
                throw HallmarkException.badInput("--chunk, --workers and --check-every are the server's to choose in remote mode");
            }
            if (keyStorage != null && !io.hallmark.core.factory.FactoryItem.KEY_STORAGE.contains(keyStorage)) {
                throw HallmarkException.badInput("--key-storage must be secure-element, tpm or software");
            }
            long total;
            ItemSource source;
            if (input.csrDir != null) {
                total = Sources.countCsrDir(input.csrDir);
                source = Sources.csrDir(input.csrDir, keyStorage);
            } else if (input.csv != null) {
                source = Sources.csv(input.csv, keyStorage);
                total = Sources.countLines(input.csv) - 1;
            } else if (input.ndjson != null) {
                source = Sources.ndjson(input.ndjson);
                total = Sources.countLines(input.ndjson);
            } else {
                if (input.simulate < 1) throw HallmarkException.badInput("--simulate needs a positive count");
                total = input.simulate;
                if (remote) {
                    SimulationState state = SimulationState.load(out, prefix);
                    source = Sources.simulateReproducible(total, state.prefix(), state.seed());
                } else {
                    source = Sources.simulate(total, prefix != null ? prefix : "SIM-" + Long.toString(System.currentTimeMillis(), 36).toUpperCase() + "-");
                }
            }
            BatchRunner runner = target.runner(parent.root::open, batch -> {
                FactoryBatch tuned = batch.withChunkSize(chunk).withCheckEvery(checkEvery).withDeclared(total >= 0 ? total : null);
                return workers == null ? tuned : tuned.withWorkers(workers);
            });
            if (runner instanceof io.hallmark.cli.factory.RemoteRunner r) r.declaring(total); // local runs declare it in the batch above
            return drive(runner, runner.chainPem(), source, total, out, BundleWriter.Layout.of(bundles, noBundles), output.json, outcome -> { });
        }
    }

    /** What a command does with each outcome before its bundle and manifest row are written (factory provision: the token). */
    interface OutcomeHook {
        void accept(BatchOutcome outcome) throws Exception;
    }

    /**
     * Runs {@code source} through {@code runner} into a {@link BundleWriter} under {@code out}, with progress on stderr and
     * the summary on stdout; the exit code: 0 when every item was provisioned, {@link ExitCodes#BAD_INPUT} when some were refused.
     */
    static int drive(BatchRunner runner, String chainPem, ItemSource source, long total, Path out, BundleWriter.Layout layout, boolean json,
                     OutcomeHook hook) throws Exception {
        Progress progress = new Progress(System.err, total, json);
        BatchProgress result;
        try (source; BundleWriter writer = new BundleWriter(out, chainPem, layout)) {
            result = runner.run(source, new ResultSink() {
                @Override
                public void started(String batchId) {
                    // Its name for 'hallmark factory batch ID' and the audit log's factory.issue entries.
                    if (!json) System.err.println("batch " + batchId);
                }

                @Override
                public void accept(BatchOutcome o) throws Exception {
                    hook.accept(o);
                    writer.accept(o);
                }

                @Override
                public void chunkDone(BatchProgress p) throws Exception {
                    writer.chunkDone(p);
                    progress.update(p, false);
                }
            });
        }
        progress.update(result, true);
        if (json) {
            Output.json(new Report(result.done(), result.issued(), result.existing(), result.failed(),
                    Math.round(result.perSecond()), out.toAbsolutePath().toString()));
        } else {
            System.out.println("provisioned " + (result.issued() + result.existing()) + " of " + result.done() + " devices ("
                    + result.issued() + " new, " + result.existing() + " already issued, " + result.failed() + " refused); manifest in "
                    + out.resolve("manifest.csv"));
        }
        return result.failed() > 0 ? ExitCodes.BAD_INPUT : 0;
    }

    /**
     * Remote simulate mode keeps its device-serial prefix and key seed in {@code OUT/simulation.properties}
     * (mode 0600: the seed makes the device keys), so the same command run again sends the same devices
     * with the same keys and a batch cut short is completed, not duplicated.
     */
    record SimulationState(String prefix, byte[] seed) {
        static SimulationState load(Path out, String prefix) throws java.io.IOException {
            Path file = out.resolve("simulation.properties");
            java.util.Properties p = new java.util.Properties();
            if (java.nio.file.Files.exists(file)) {
                try (var in = java.nio.file.Files.newBufferedReader(file)) {
                    p.load(in);
                }
                String stored = p.getProperty("prefix");
                byte[] seed = java.util.HexFormat.of().parseHex(p.getProperty("seed"));
                return new SimulationState(prefix != null ? prefix : stored, seed);
            }
            byte[] seed = new byte[32];
            new java.security.SecureRandom().nextBytes(seed);
            String chosen = prefix != null ? prefix : "SIM-" + Long.toString(System.currentTimeMillis(), 36).toUpperCase() + "-";
            java.nio.file.Files.createDirectories(out);
            String text = "# hallmark factory run --simulate: device serial prefix and key seed; rerunning with this --out resends the same devices and keys\n"
                    + "prefix=" + chosen + "\nseed=" + java.util.HexFormat.of().formatHex(seed) + "\n";
            io.hallmark.core.files.OwnerOnlyFile.create(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new SimulationState(chosen, seed);
        }
    }

    record Report(long items, long issued, long existing, long failed, long perSecond, String out) {
    }

    @Command(name = "reprovision", description = "Allow a device a new identity: revokes its current certificate of the profile "
            + "(reason superseded) and releases the binding, in one audited transaction. The next batch or "
            + "'hallmark issue' for the device then issues for its new key.")
    static final class Reprovision implements Callable<Integer> {

        @ParentCommand
        FactoryCommand parent;

        @Option(names = "--device", required = true, paramLabel = "ID", description = "Device serial number.")
        String device;

        @Option(names = "--profile", defaultValue = "idevid", paramLabel = "NAME", description = "Profile (default ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the audit log (e.g. \"secure element replaced, RMA 1234\").")
        String reason;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var released = parent.root.open().factory().reprovision(device, profile, reason, RevocationReason.superseded, HallmarkCommand.actor());
            if (output.json) {
                Output.json(new ReprovisionReport(device, profile, released));
            } else {
                System.out.println("device " + device + ": " + profile + " certificate " + released + " revoked (superseded); it may be provisioned again");
            }
            return 0;
        }
    }

    record ReprovisionReport(String device, String profile, String revokedSerial) {
    }
}
