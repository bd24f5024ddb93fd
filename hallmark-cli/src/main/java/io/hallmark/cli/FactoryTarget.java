package io.hallmark.cli;

import io.hallmark.cli.factory.BatchRunner;
import io.hallmark.cli.factory.RemoteRunner;
import io.hallmark.core.Hallmark;
import io.hallmark.core.authorize.Evidence;
import io.hallmark.core.authorize.Grant;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.wire.WireFormat;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where a factory batch runs, shared by {@code factory run} and {@code factory provision}: against the local store
 * (as the operator, or as {@code --station}), or with {@code --server} on a Hallmark server as the station whose
 * client certificate is given. Both commands then hand their items to the same {@link BatchRunner}.
 */
final class FactoryTarget {

    /** Remote mode's wire format when --wire is not given; see the option's help for why. */
    static final WireFormat DEFAULT_WIRE = WireFormat.FRAMES;

    @Option(names = "--ca", defaultValue = "idevid-ca", paramLabel = "NAME", description = "Issuing CA (default ${DEFAULT-VALUE}).")
    String ca;

    @Option(names = "--profile", defaultValue = "idevid", paramLabel = "NAME", description = "Profile (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--station", paramLabel = "NAME", description = "Run as this station: its rights are checked and its quota spent.")
    String station;

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

    boolean remote() {
        return server != null;
    }

    /** Refuses option combinations that mix the two modes, before anything is read or made. */
    void check() {
        if (remote() && (stationCert == null || stationKey == null || caCert == null)) {
            throw HallmarkException.badInput("--server needs --station-cert, --station-key and --ca-cert");
        }
        if (!remote() && (stationCert != null || stationKey != null || caCert != null || retry != 0 || wire != null)) {
            throw HallmarkException.badInput("--station-cert, --station-key, --ca-cert, --retry and --wire go with --server");
        }
        if (wireFormat() == null) {
            throw HallmarkException.badInput("--wire must be frames or ndjson, not '" + wire + "'");
        }
        if (remote() && station != null) {
            throw HallmarkException.badInput("--station names a local station; with --server the station is the one of --station-cert");
        }
        if (retry < 0) throw HallmarkException.badInput("--retry must be 0 or more");
    }

    private WireFormat wireFormat() {
        return wire == null ? DEFAULT_WIRE : WireFormat.named(wire);
    }

    /**
     * The runner: remote, or local over the installation {@code open} gives, with the batch {@code tune} makes of the
     * operator's (or the station's) batch.
     */
    BatchRunner runner(Supplier<Hallmark> open, UnaryOperator<FactoryBatch> tune) {
        if (remote()) {
            var chain = io.hallmark.device.DeviceCredentials.certificates(stationCert);
            var key = io.hallmark.device.DeviceCredentials.privateKey(stationKey);
            var anchors = io.hallmark.device.DeviceCredentials.certificates(caCert);
            var tls = io.hallmark.device.TlsContexts.create(anchors, new io.hallmark.device.DeviceCredential(key, chain));
            return new RemoteRunner(server, ca, profile, tls, retry, System.err, wireFormat());
        }
        // The operator's own grant; a local run for a station (--station) takes the station's grant.
        FactoryBatch batch = tune.apply(FactoryBatch.of(ca, profile, Grant.operator(HallmarkCommand.actor())));
        Hallmark hallmark = open.get();
        if (station != null) {
            batch = batch.withGrant(hallmark.factory().authorize(ca, profile, List.of(new Evidence.StationName(station))));
        }
        return BatchRunner.local(hallmark, batch);
    }
}
