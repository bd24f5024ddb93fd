package io.hallmark.cli;

import io.hallmark.core.principal.CredentialView;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role;
import io.hallmark.core.profile.Validity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "token", description = "API tokens for the REST API (create, list, revoke), one-time enrollment tokens for devices.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class, TokenCommand.Enroll.class})
final class TokenCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "create", description = {"Create an API token and print it once. Only its hash is stored.",
            "Use it as 'Authorization: Bearer TOKEN'."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, auditor, station, commissioner (Matter NOCs over the API, nothing else) or ingest (posts authentication events, nothing else).")
        String role;
        @Option(names = "--name", paramLabel = "NAME", description = "Who or what holds it (shown in the audit log).")
        String name;
        @Option(names = "--ttl", defaultValue = "90d", paramLabel = "DURATION",
                description = "How long it works (default ${DEFAULT-VALUE}; e.g. 12h, 30d, 1y), or 'never' for a service account's token.")
        String ttl;

        @Override
        public Integer call() {
            Role r = Role.parse(role);
            Duration life = "never".equalsIgnoreCase(ttl.strip()) ? null : Validity.parseDuration(ttl);
            System.out.println(token.root.open().credentials().createToken(r, name, life, HallmarkCommand.actor()));
            return 0;
        }
    }

    @Command(name = "list", description = {"List API credentials: tokens and registered operator certificates. Secrets are never shown.",
            "An operator certificate also stops working when its certificate is revoked ('hallmark revoke SERIAL')."})
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var hallmark = token.root.open();
            Instant now = hallmark.clock().instant();
            List<CredentialView> views = hallmark.credentials().list().stream().map(p -> CredentialView.of(p, now)).toList();
            if (output.json) {
                Output.json(views);
            } else {
                Output.table(System.out, List.of("ID", "NAME", "KIND", "ROLE", "CREATED", "EXPIRES", "STATUS"),
                        views.stream().map(v -> List.of(v.id(), v.name(), v.kind(), v.role(), v.created(),
                                v.expires() == null ? "-" : v.expires(), v.status())).toList());
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = {"Revoke an API token (or an operator certificate's registration) by its id, as 'token list' shows it.",
            "Its next request gets 401, on every node."})
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;
        @Parameters(paramLabel = "ID", description = "The credential's id.")
        String id;

        @Override
        public Integer call() {
            Principal p = token.root.open().credentials().revoke(id, HallmarkCommand.actor());
            System.out.println("revoked " + p.kind().name().toLowerCase(Locale.ROOT) + " " + p.id() + " (" + p.name() + ", role " + p.role().id() + ")");
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
