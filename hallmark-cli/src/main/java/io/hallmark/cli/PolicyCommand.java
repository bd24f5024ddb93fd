package io.hallmark.cli;

import io.hallmark.core.migrate.DeviceGroup;
import io.hallmark.core.migrate.MigrationPolicies;
import io.hallmark.core.migrate.MigrationPolicy;
import io.hallmark.core.profile.Validity;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "policy", description = {"Key migration policies (crypto agility): at its next (re-)enrollment a device group moves to",
        "another key algorithm under another CA. Shared by every node; audited."},
        subcommands = {PolicyCommand.Migrate.class, PolicyCommand.ListPolicies.class, PolicyCommand.Remove.class})
final class PolicyCommand {

    @ParentCommand
    HallmarkCommand root;

    MigrationPolicies policies() {
        return root.open().migrations();
    }

    /** One group, exactly: a label, a profile, a CA or a device list. */
    static final class Group {
        @Option(names = "--label", paramLabel = "L", description = "Devices enrolling on this EST label ('' for the default one).")
        String label;
        @Option(names = "--profile", paramLabel = "P", description = "Devices enrolling on a label of this profile.")
        String profile;
        @Option(names = "--ca", paramLabel = "NAME", description = "Devices enrolling on a label of this CA.")
        String ca;
        @Option(names = "--device", paramLabel = "ID", split = ",", description = "These devices (repeat, or comma-separated; at most 1000).")
        List<String> devices;

        DeviceGroup group() {
            if (label != null) return new DeviceGroup.Label(label);
            if (profile != null) return new DeviceGroup.Profile(profile);
            if (ca != null) return new DeviceGroup.Ca(ca);
            return new DeviceGroup.Devices(devices);
        }
    }

    @Command(name = "migrate", description = {"At the next (re-)enrollment, move a device group to keys of ALG under CA NAME. EST csrattrs",
            "then names that key; a CSR with it is issued under the target CA (the certificate renewed with is revoked, superseded);",
            "a CSR with another key is refused with the reason, or issued as before during the grace period.",
            "A new policy for the same group replaces the one before. Exit codes: 0 set, 3 bad input, 4 unknown CA, profile or label."})
    static final class Migrate implements Callable<Integer> {
        @ParentCommand
        PolicyCommand parent;
        @Option(names = "--to-ca", required = true, paramLabel = "NAME", description = "The CA that certifies the new keys.")
        String toCa;
        @Option(names = "--to-algorithm", required = true, paramLabel = "ALG", description = "The key algorithm to move to, e.g. ec-p384, ed25519.")
        String toAlgorithm;
        @Option(names = "--to-profile", paramLabel = "P", description = "The profile of the new certificates (default: the label's).")
        String toProfile;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Group group;
        @Option(names = "--grace", paramLabel = "D", description = "How long the old key is still renewed as before, e.g. 30d (default: none).")
        String grace;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            Duration g = grace == null || grace.strip().equals("0") ? Duration.ZERO : Validity.parseDuration(grace);
            MigrationPolicy p = parent.policies().set(group.group(), toCa, toProfile, toAlgorithm, g, HallmarkCommand.actor());
            if (output.json) {
                Output.json(p);
                return 0;
            }
            System.out.println("migration policy " + p.id() + ": " + Output.safe(p.group().describe()) + " -> " + p.toAlgorithm() + " under CA "
                    + Output.safe(p.toCa()) + (p.grace().isZero() ? ", no grace" : ", old keys renewed until " + p.graceUntil()));
            return 0;
        }
    }

    @Command(name = "list", description = {"The policies in force, with how many devices of each group moved and how many remain",
            "(devices holding a current certificate of the group, not yet on the target)."})
    static final class ListPolicies implements Callable<Integer> {
        @ParentCommand
        PolicyCommand parent;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            List<MigrationPolicies.Listed> listed = parent.policies().list();
            if (output.json) {
                Output.json(listed);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (MigrationPolicies.Listed l : listed) {
                MigrationPolicy p = l.policy();
                rows.add(List.of(Long.toString(p.id()), Output.safe(l.group()), p.toAlgorithm(), Output.safe(p.toCa()),
                        p.toProfile() == null ? "-" : Output.safe(p.toProfile()), p.grace().isZero() ? "-" : p.graceUntil().toString(),
                        Long.toString(l.migrated()), Long.toString(l.remaining()), String.format(Locale.ROOT, "%.0f%%", 100 * l.share())));
            }
            Output.table(System.out, List.of("ID", "GROUP", "TO ALGORITHM", "TO CA", "TO PROFILE", "GRACE UNTIL", "MIGRATED", "REMAINING", "SHARE"), rows);
            return 0;
        }
    }

    @Command(name = "remove", description = {"Remove a policy (recorded, audited): its group enrolls as before.",
            "Devices that moved keep renewing only where their CA issues on their label. Exit codes: 0 removed, 4 no such policy."})
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        PolicyCommand parent;
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            parent.policies().remove(id, HallmarkCommand.actor());
            System.out.println("migration policy " + id + " removed");
            return 0;
        }
    }
}
