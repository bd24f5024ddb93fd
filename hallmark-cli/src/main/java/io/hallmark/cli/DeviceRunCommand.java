package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.mqtt.MqttLink;
import io.hallmark.device.mqtt.PahoThreads;
import io.hallmark.device.run.AgentConfig;
import io.hallmark.device.run.AgentRun;
import io.hallmark.device.run.IdevidLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

@Command(name = "run", description = {"Run the agent: enroll with the IDevID when there is no valid LDevID, connect to every MQTT backend of "
        + "--config over mutual TLS with the LDevID, publish a heartbeat, renew the LDevID before it expires and reconnect with the new one "
        + "(queued messages kept), fail over to the next URL of a backend when one is down.",
        "Runs until SIGINT/SIGTERM (or --duration), then disconnects cleanly and prints what it did. What happens is logged on stderr."})
final class DeviceRunCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Agent configuration, YAML or JSON (docs/device-agent.md).")
    Path config;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds; default: run until stopped.")
    Double duration;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() throws Exception {
        if (duration != null && !(duration > 0)) throw HallmarkException.badInput("--duration must be a positive number of seconds");
        DeviceOptions.requireFile(config, "--config");
        AgentConfig cfg = AgentConfig.read(config);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(20, TimeUnit.SECONDS); // let the agent disconnect and report before the JVM ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hallmark-device-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ScheduledExecutorService threads = PahoThreads.create();
             AgentRun run = new AgentRun(cfg, () -> IdevidLoader.load(cfg.idevid()), threads, log(), Clock.systemUTC())) {
            run.start();
            if (duration != null) stop.await(Math.round(duration * 1000), TimeUnit.MILLISECONDS);
            else stop.await();
            log().accept("stopping: sending what is queued (at most 10 s), then disconnecting");
            run.drain(10, TimeUnit.SECONDS);
            run.close();
            // Printed before the stop hook is released: once it returns, the JVM ends, mid-line if need be.
            print(run.summary());
            System.out.flush();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what is stopping us
            }
        }
        return 0;
    }

    private void print(AgentRun.Summary summary) {
        if (output.json) {
            Output.json(summary);
            return;
        }
        System.out.println("device " + Output.safe(summary.device()) + ": LDevID serial " + summary.serial() + ", renewed " + summary.renewals() + " time(s)"
                + (summary.renewalFailures() > 0 ? ", " + summary.renewalFailures() + " failed renewal attempt(s)" : ""));
        for (MqttLink.Stats s : summary.links()) {
            System.out.println("  " + Output.safe(s.name()) + ": published " + s.published() + " (acknowledged), received " + s.received()
                    + " of its own, " + s.queued() + " still queued, " + s.connects() + " connection(s), " + s.failovers() + " failover(s)"
                    + (s.refusals() > 0 ? ", refused " + s.refusals() + " time(s)" : "")
                    + (s.lastError() != null ? "; last error: " + Output.safe(s.lastError()) : ""));
        }
        for (var h : summary.https()) {
            System.out.println("  " + Output.safe(h.url()) + ": " + h.ok() + " call(s) answered 2xx, " + h.failed() + " failed"
                    + (h.lastError() != null ? "; last error: " + Output.safe(h.lastError()) : ""));
        }
    }

    /** One line per event on stderr, with the time: the agent's log. */
    static Consumer<String> log() {
        return line -> System.err.println(Instant.now() + " " + Output.safe(line));
    }
}
