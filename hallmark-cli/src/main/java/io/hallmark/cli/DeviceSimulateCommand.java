package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.run.AgentConfig;
import io.hallmark.device.run.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "simulate", description = {"Run --count devices in this process (virtual threads), each with its own IDevID from --idevids "
        + "(NAME.pem + NAME.key, as 'hallmark quickstart --devices N' writes to DATA/demo) and its own state directory under the "
        + "configuration's 'state': each enrolls over EST and connects to the MQTT backends of --config.",
        "Reports devices connected, failed and renewed, the time taken and the EST server's enrollments per second. Exit 0 when every "
                + "device connected, 1 otherwise."})
final class DeviceSimulateCommand implements Callable<Integer> {

    static final int MAX_COUNT = 100_000;

    @Option(names = "--count", required = true, paramLabel = "N", description = "Devices to simulate.")
    int count;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Agent configuration, as for 'device run' (its idevid is replaced per device).")
    Path config;

    @Option(names = "--idevids", paramLabel = "DIR", description = "Directory of IDevIDs (NAME.pem + NAME.key); default: the configuration's idevid.directory.")
    Path idevids;

    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "N",
            description = "Devices enrolling and connecting at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hold", defaultValue = "0", paramLabel = "SECONDS",
            description = "Keep the devices connected (publishing, renewing) this long after the last one connected (default ${DEFAULT-VALUE}).")
    long hold;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        if (count < 1 || count > MAX_COUNT) throw HallmarkException.badInput("--count must be between 1 and " + MAX_COUNT);
        if (concurrency < 1 || concurrency > 10_000) throw HallmarkException.badInput("--concurrency must be between 1 and 10000");
        if (hold < 0) throw HallmarkException.badInput("--hold must not be negative");
        DeviceOptions.requireFile(config, "--config");
        AgentConfig cfg = AgentConfig.read(config);
        Path dir = idevids != null ? idevids : cfg.idevid() == null ? null : cfg.idevid().directory();
        var devices = Simulation.idevids(dir, count);
        Simulation.Report r = Simulation.run(cfg, devices, concurrency, Duration.ofSeconds(hold), DeviceRunCommand.log(), Clock.systemUTC());
        if (output.json) {
            Output.json(r);
        } else {
            System.out.println("simulated " + r.devices() + " devices: " + r.connected() + " connected, " + r.failed() + " failed, " + r.renewed() + " renewed");
            Output.fields(System.out, "enrolled", r.enrolled() + " in " + r.enrollSeconds() + " s (" + r.enrollmentsPerSecond() + " enrollments/s)",
                    "total time", r.seconds() + " s", "concurrency", r.concurrency(), "published", r.published() + " acknowledged",
                    "received", r.received() + " of their own");
            for (String f : r.failures()) System.out.println("  failed: " + Output.safe(f));
        }
        return r.failed() == 0 ? 0 : ExitCodes.FAILED;
    }
}
