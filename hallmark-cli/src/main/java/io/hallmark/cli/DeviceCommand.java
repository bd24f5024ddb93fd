package io.hallmark.cli;

import picocli.CommandLine.Command;

@Command(name = "device", description = {"The device agent: enroll for an LDevID with the IDevID over EST, and renew it.",
        "Runs on the device (or a gateway); needs no Hallmark data directory."},
        subcommands = {DeviceEnrollCommand.class, DeviceReenrollCommand.class})
final class DeviceCommand {
}
