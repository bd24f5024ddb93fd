package io.hallmark.cli;

import io.hallmark.device.DeviceAgent;
import io.hallmark.device.LdevidState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "reenroll", description = "Renew the LDevID in --state if it is due (see --renew-at) or --force: EST "
        + "simplereenroll authenticated by the current LDevID, same subject, new key. Safe to run from a timer: when not due it "
        + "does nothing.")
final class DeviceReenrollCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions options;

    @Option(names = "--force", description = "Renew now, due or not.")
    boolean force;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        DeviceAgent.Outcome outcome = options.agent().reenroll(options.policy(), force);
        DeviceOptions.Report.of(outcome, new LdevidState(options.state)).print(output);
        return 0;
    }
}
