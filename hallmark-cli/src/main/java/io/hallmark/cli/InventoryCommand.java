package io.hallmark.cli;

import io.hallmark.core.inventory.Inventory;
import io.hallmark.core.inventory.InventoryFilters;
import io.hallmark.core.store.InventoryOverview;
import io.hallmark.core.store.InventoryRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "inventory", description = {"List the fleet's certificates by CA, profile, key algorithm, key storage, status or expiry,",
        "streamed in serial order (any size, bounded memory). Filters combine (all must hold).",
        "Exit codes: 0 listed (possibly nothing), 3 unknown filter or value, 8 database unreachable."},
        subcommands = {InventoryCommand.Overview.class, InventoryCommand.Deprecate.class, InventoryCommand.Undeprecate.class})
final class InventoryCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;
    @Option(names = "--ca", paramLabel = "NAME", description = "Issued by this CA.")
    String ca;
    @Option(names = "--profile", paramLabel = "NAME", description = "Of this profile.")
    String profile;
    @Option(names = "--algorithm", paramLabel = "ALG", description = "Key algorithm, e.g. ec-p256, rsa-2048, ed25519.")
    String algorithm;
    @Option(names = "--key-storage", paramLabel = "S", description = "Key storage recorded at provisioning: software, secure-element or tpm.")
    String keyStorage;
    @Option(names = "--status", paramLabel = "S", description = "valid, revoked or expired.")
    String status;
    @Option(names = "--expiring-within", paramLabel = "DURATION", description = "Unrevoked, expiring within e.g. 30d (expired ones included).")
    String expiringWithin;
    @Option(names = "--never-renewed", description = "Device certificates (other than the device's identity) never re-enrolled: the only one of their profile for their device.")
    boolean neverRenewed;
    @Option(names = "--idevid-revoked-ldevid-alive", description = "Valid device certificates whose device's IDevID is revoked.")
    boolean idevidRevokedLdevidAlive;
    @Option(names = "--deprecated", description = "On an algorithm marked deprecated ('hallmark inventory deprecate ALG').")
    boolean deprecated;
    @Option(names = "--seen-within", paramLabel = "DURATION", description = "Of a device last seen within e.g. 30d (enrollment, reported authentication, OCSP query).")
    String seenWithin;
    @Option(names = "--not-seen-within", paramLabel = "DURATION", description = "Of a device not seen within e.g. 30d (never seen included).")
    String notSeenWithin;
    @Mixin
    Output.JsonOption output;

    Inventory inventory() {
        var hallmark = root.open();
        return new Inventory(hallmark.store(), hallmark.clock(), hallmark::profiles);
    }

    @Override
    public Integer call() {
        Map<String, String> filters = InventoryFilters.text();
        put(filters, InventoryFilters.CA, ca);
        put(filters, InventoryFilters.PROFILE, profile);
        put(filters, InventoryFilters.ALGORITHM, algorithm);
        put(filters, InventoryFilters.KEY_STORAGE, keyStorage);
        put(filters, InventoryFilters.STATUS, status);
        put(filters, InventoryFilters.EXPIRING_WITHIN, expiringWithin);
        put(filters, InventoryFilters.SEEN_WITHIN, seenWithin);
        put(filters, InventoryFilters.NOT_SEEN_WITHIN, notSeenWithin);
        if (neverRenewed) filters.put(InventoryFilters.NEVER_RENEWED, "true");
        if (idevidRevokedLdevidAlive) filters.put(InventoryFilters.IDEVID_REVOKED_LDEVID_ALIVE, "true");
        if (deprecated) filters.put(InventoryFilters.DEPRECATED, "true");
        Inventory inventory = inventory();
        if (output.json) {
            try (Output.JsonArray array = Output.jsonArray()) {
                inventory.each(filters, array::add);
            }
        } else {
            // Text rows go out as they are read, in fixed-width columns (a table measured first would hold them all).
            String format = "%-40s  %-12s  %-10s  %-36s  %-10s  %-14s  %-20s  %-8s  %s%n";
            System.out.printf(format, "SERIAL", "CA", "PROFILE", "DEVICE", "ALGORITHM", "KEY STORAGE", "NOT AFTER", "STATUS", "LAST SEEN");
            inventory.each(filters, r -> System.out.printf(format, r.serial(), Output.safe(r.ca()), Output.safe(r.profile()),
                    r.device() == null ? "-" : Output.safe(r.device()), dash(r.algorithm()), dash(r.keyStorage()), r.notAfter(), r.status().id(),
                    r.lastSeen() == null ? "-" : r.lastSeen()));
        }
        return 0;
    }

    private static String dash(String value) {
        return value == null ? "-" : Output.safe(value);
    }

    private static void put(Map<String, String> filters, String name, String value) {
        if (value != null) filters.put(name, value);
    }

    @Command(name = "overview", description = "Counts by CA, profile, key algorithm, status and key storage, and the certificates on deprecated algorithms.")
    static final class Overview implements Callable<Integer> {
        @ParentCommand
        InventoryCommand parent;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            InventoryOverview o = parent.inventory().overview();
            List<io.hallmark.core.migrate.MigrationPolicies.Listed> migrations = parent.root.open().migrations().list();
            if (output.json) {
                var tree = Output.tree(o);
                tree.set("migrations", Output.tree(java.util.Map.of("policies", migrations)).get("policies"));
                Output.json(tree);
                return 0;
            }
            System.out.println("certificates: " + o.certificates() + " (at " + o.at() + ")");
            List<List<String>> rows = new ArrayList<>();
            section(rows, "ca", o.byCa());
            section(rows, "profile", o.byProfile());
            section(rows, "algorithm", o.byAlgorithm());
            section(rows, "status", o.byStatus());
            section(rows, "key storage", o.byKeyStorage());
            section(rows, "expiry (valid)", o.expiry());
            rows.add(List.of("devices", "registered / blocked", o.devices().registered() + " / " + o.devices().blocked()));
            rows.add(List.of("devices", "live, seen within " + InventoryOverview.SEEN_WINDOW.toDays() + "d", Long.toString(o.devices().seen())));
            rows.add(List.of("deprecated", o.deprecatedAlgorithms().isEmpty() ? "(none marked)" : String.join(",", o.deprecatedAlgorithms()),
                    Long.toString(o.onDeprecatedAlgorithm())));
            for (var m : migrations) {
                // Devices, not certificates: how many of the policy's group moved to its target, and how many remain.
                rows.add(List.of("migration " + m.policy().id(), Output.safe(m.group()) + " -> " + m.policy().toAlgorithm(),
                        m.migrated() + " migrated, " + m.remaining() + " remaining"));
            }
            Output.table(System.out, List.of("BY", "VALUE", "COUNT"), rows);
            return 0;
        }

        private static void section(List<List<String>> rows, String by, Map<String, Long> counts) {
            counts.forEach((k, v) -> rows.add(List.of(by, k, Long.toString(v))));
        }
    }

    @Command(name = "deprecate", description = "Mark a key algorithm deprecated (shared by every node; audited); prints the list.")
    static final class Deprecate implements Callable<Integer> {
        @ParentCommand
        InventoryCommand parent;
        @Parameters(paramLabel = "ALG", description = "e.g. rsa-2048")
        String algorithm;

        @Override
        public Integer call() {
            System.out.println("deprecated algorithms: " + String.join(", ", parent.inventory().deprecate(algorithm, HallmarkCommand.actor())));
            return 0;
        }
    }

    @Command(name = "undeprecate", description = "Take the deprecated mark off a key algorithm (audited); prints the list.")
    static final class Undeprecate implements Callable<Integer> {
        @ParentCommand
        InventoryCommand parent;
        @Parameters(paramLabel = "ALG", description = "e.g. rsa-2048")
        String algorithm;

        @Override
        public Integer call() {
            List<String> left = parent.inventory().undeprecate(algorithm, HallmarkCommand.actor());
            System.out.println("deprecated algorithms: " + (left.isEmpty() ? "(none)" : String.join(", ", left)));
            return 0;
        }
    }
}
