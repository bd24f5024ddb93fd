package io.hallmark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

@Command(name = "device", description = {"The device agent: enroll for an LDevID with the IDevID over EST, renew it, and run with it: MQTT over mutual TLS.",
        "Runs on the device (or a gateway); needs no Hallmark data directory."},
        subcommands = {DeviceEnrollCommand.class, DeviceReenrollCommand.class, DeviceRunCommand.class, DeviceSimulateCommand.class})
final class DeviceCommand {

    /**
     * The agent keeps its state in {@code --state} and talks to a server; it opens no installation. The root's
     * {@code --data} and {@code --db} are inherited by every subcommand, so without this they would be listed in the
     * agent's help and accepted, and silently ignored. Removed here, they are refused after {@code device} as any
     * unknown option is.
     */
    static void withoutInstallationOptions(CommandLine device) {
        List<CommandLine> commands = new ArrayList<>(List.of(device));
        commands.addAll(device.getSubcommands().values());
        for (CommandLine command : commands) {
            for (String name : List.of("--data", "--db")) {
                CommandLine.Model.OptionSpec option = command.getCommandSpec().findOption(name);
                if (option != null) command.getCommandSpec().remove(option);
            }
        }
    }
}
