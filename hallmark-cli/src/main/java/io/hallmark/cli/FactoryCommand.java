package io.hallmark.cli;

import io.hallmark.cli.factory.BatchRunner;
import io.hallmark.cli.factory.BundleWriter;
import io.hallmark.cli.factory.Progress;
import io.hallmark.cli.factory.RemoteRunner;
import io.hallmark.cli.factory.Sources;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.Hallmark;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.authorize.Grant;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultSink;
import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.core.store.RevocationReason;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "factory", description = "Factory provisioning: issue IDevIDs for batches of devices.",
        subcommands = {FactoryCommand.Run.class, FactoryCommand.Reprovision.class})
final class FactoryCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "run", description = {"Provision a batch of devices against the local store, or with --server on a Hallmark server as a station.",
            "Each device gets exactly one identity per profile: running a batch again returns the stored "
                    + "certificates (same key) and refuses a second key, so a batch interrupted at any point is "
                    + "completed by running it again. Writes per-device bundles and a manifest (CSV and JSON) to --out."})
    static final class Run implements Callable<Integer> {

        /** Remote mode's wire format when --wire is not given; see the option's help for why. */
        static final WireFormat DEFAULT_WIRE = WireFormat.FRAMES;

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

        @Option(names = "--ca", defaultValue = "idevid-ca", paramLabel = "NAME", description = "Issuing CA (default ${DEFAULT-VALUE}).")
        String ca;

        @Option(names = "--profile", defaultValue = "idevid", paramLabel = "NAME", description = "Profile (default ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--station", paramLabel = "NAME", description = "Run as this station: its rights are checked and its quota spent.")
        String station;

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

        @Option(names = "--server", paramLabel = "URL",
                description = "Remote mode: run the batch on this Hallmark server (https://HOST:PORT) as a station, streaming "
                        + "the items over one mutual-TLS connection. Needs --station-cert, --station-key, --ca-cert.")
        java.net.URI server;

        @Option(names = "--station-cert", paramLabel = "FILE", description = "Remote mode: the station's certificate (station.pem).")
        Path stationCert;

        @Option(names = "--station-key", paramLabel = "FILE", description = "Remote mode: the station's private key (station.key).")
        Path stationKey;

        @Option(names = "--ca-cert", paramLabel = "FILE", description = "Remote mode: the root to check the server's certificate against (the server's ca/root.pem).")
        Path caCert;

        @Option(names = "--retry", defaultValue = "0", paramLabel = "N",
                description = "Remote mode: reconnect up to N times after a lost connection, resending the unanswered items (default ${DEFAULT-VALUE}).")
        int retry;

        @Option(names = "--wire", paramLabel = "FORMAT",
                description = "Remote mode: the request and response body format: frames (length-prefixed CBOR, CSR and "
                        + "certificate as DER; application/vnd.hallmark.factory-frames) or ndjson (one JSON object a line, "
                        + "base64/PEM text; application/x-ndjson). Default frames: measured (docs/benchmarks.md), encoding and "
                        + "decoding cost 2 µs a device instead of 8-11, the bodies are 22-25%% smaller, and end to end it used less "
                        + "CPU on both sides and was the faster in 4 of 5 paired runs; signing dominates either way, so the gain is small.")
        String wire;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() throws Exception {
            boolean remote = server != null;
            if (remote && (stationCert == null || stationKey == null || caCert == null)) {
                throw HallmarkException.badInput("--server needs --station-cert, --station-key and --ca-cert");
            }
            if (!remote && (stationCert != null || stationKey != null || caCert != null || retry != 0 || wire != null)) {
                throw HallmarkException.badInput("--station-cert, --station-key, --ca-cert, --retry and --wire go with --server");
            }
            WireFormat wireFormat = wire == null ? DEFAULT_WIRE : WireFormat.named(wire);
            if (wireFormat == null) {
                throw HallmarkException.badInput("--wire must be frames or ndjson, not '" + wire + "'");
            }
            if (remote && station != null) {
                throw HallmarkException.badInput("--station names a local station; with --server the station is the one of --station-cert");
            }
            if (remote && (workers != null || chunk != 1000 || checkEvery != 32)) {
                throw HallmarkException.badInput("--chunk, --workers and --check-every are the server's to choose in remote mode");
            }
            if (retry < 0) throw HallmarkException.badInput("--retry must be 0 or more");
            // The operator's own grant; a local run for a station (--station) takes the station's grant below.
            FactoryBatch batch = FactoryBatch.of(ca, profile, Grant.operator(HallmarkCommand.actor()))
                    .withChunkSize(chunk).withCheckEvery(checkEvery);
            if (workers != null) batch = batch.withWorkers(workers);
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
            BatchRunner runner;
            if (remote) {
                runner = remoteRunner(wireFormat);
            } else {
                Hallmark hallmark = parent.root.open();
                if (station != null) {
                    batch = batch.withGrant(hallmark.factory().authorize(ca, profile, List.of(new Evidence.StationName(station))));
                }
                runner = BatchRunner.local(hallmark, batch);
            }
            Progress progress = new Progress(System.err, total, output.json);
            BatchProgress result;
            try (source; BundleWriter writer = new BundleWriter(out, runner.chainPem(), BundleWriter.Layout.of(bundles, noBundles))) {
                result = runner.run(source, new ResultSink() {
                    @Override
                    public void accept(BatchOutcome o) throws Exception {
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
            if (output.json) {
                Output.json(new Report(result.done(), result.issued(), result.existing(), result.failed(),
                        Math.round(result.perSecond()), out.toAbsolutePath().toString()));
            } else {
                System.out.println("provisioned " + (result.issued() + result.existing()) + " of " + result.done() + " devices ("
                        + result.issued() + " new, " + result.existing() + " already issued, " + result.failed() + " refused); manifest in "
                        + out.resolve("manifest.csv"));
            }
            return result.failed() > 0 ? ExitCodes.BAD_INPUT : 0;
        }

        private BatchRunner remoteRunner(WireFormat wireFormat) {
            var chain = io.hallmark.device.DeviceCredentials.certificates(stationCert);
            var key = io.hallmark.device.DeviceCredentials.privateKey(stationKey);
            var anchors = io.hallmark.device.DeviceCredentials.certificates(caCert);
            var tls = io.hallmark.device.TlsContexts.create(anchors, new io.hallmark.device.DeviceCredential(key, chain));
            return new RemoteRunner(server, ca, profile, tls, retry, System.err, wireFormat);
        }
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
