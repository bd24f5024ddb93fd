package io.hallmark.cli;

import io.hallmark.core.access.Role;
import io.hallmark.core.profile.Validity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "token", description = "Create credentials: API tokens for the REST API, one-time enrollment tokens for devices.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Enroll.class})
final class TokenCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "create", description = {"Create an API token and print it once. Only its hash is stored.",
            "Use it as 'Authorization: Bearer TOKEN'."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, auditor or station.")
        String role;
        @Option(names = "--name", paramLabel = "NAME", description = "Who or what holds it (shown in the audit log).")
        String name;

        @Override
        public Integer call() {
            Role r = Role.parse(role);
            System.out.println(token.root.open().credentials().createToken(r, name, HallmarkCommand.actor()));
            return 0;
        }
    }

    @Command(name = "enroll", description = {"Create a one-time enrollment token for a device without an IDevID, and print it once.",
            "The device enrolls over EST with HTTP Basic (user: device id, password: token) on a label that allows bootstrap."})
    static final class Enroll implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;
        @Option(names = "--device", required = true, paramLabel = "ID", description = "The device's serial number.")
        String device;
        @Option(names = "--ttl", defaultValue = "24h", paramLabel = "DURATION", description = "How long it stays usable (default ${DEFAULT-VALUE}).")
        String ttl;

        @Override
        public Integer call() {
            System.out.println(token.root.open().credentials().createEnrollmentToken(device, Validity.parseDuration(ttl), HallmarkCommand.actor()));
            return 0;
        }
    }
}
