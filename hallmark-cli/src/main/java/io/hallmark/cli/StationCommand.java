package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.station.StationCredentials;
import io.hallmark.core.station.StationSpec;
import io.hallmark.core.store.StationRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "station", description = "Factory stations: clients that provision devices with their own client certificate.",
        subcommands = {StationCommand.Create.class, StationCommand.ListStations.class, StationChangeCommand.Disable.class,
                StationChangeCommand.Enable.class, StationChangeCommand.Quota.class})
final class StationCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "create", description = {"Register a station and issue its client certificate (clients-ca, profile client).",
            "With --out, writes station.pem (certificate), station.key (mode 0600) and chain.pem there."})
    static final class Create implements Callable<Integer> {

        @ParentCommand
        StationCommand parent;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Station name, e.g. shenzhen-line-3.")
        String name;

        @Option(names = "--ca", required = true, split = ",", paramLabel = "NAME", description = "CA(s) it may use, e.g. idevid-ca.")
        List<String> cas;

        @Option(names = "--profile", required = true, split = ",", paramLabel = "NAME", description = "Profile(s) it may request, e.g. idevid.")
        List<String> profiles;

        @Option(names = "--quota", paramLabel = "N", description = "Most certificates it may obtain (default: no limit).")
        Long quota;

        @Option(names = "--site", paramLabel = "TEXT", description = "Factory site.")
        String site;

        @Option(names = "--product-line", paramLabel = "TEXT", description = "Product line.")
        String productLine;

        @Option(names = "--valid-from", paramLabel = "TIME", description = "ISO-8601 instant from which it may issue.")
        String validFrom;

        @Option(names = "--valid-until", paramLabel = "TIME", description = "ISO-8601 instant after which it may not issue.")
        String validUntil;

        @Option(names = "--csr", paramLabel = "FILE", description = "The station's own CSR (its key never leaves it); default: generate a key here.")
        Path csr;

        @Option(names = "--client-ca", defaultValue = "clients-ca", paramLabel = "NAME", description = "CA for its client certificate (default ${DEFAULT-VALUE}).")
        String clientCa;

        @Option(names = "--out", paramLabel = "DIR", description = "Write the station's credentials here.")
        Path out;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            if (csr == null && out == null) {
                throw HallmarkException.badInput("--out is needed to write the station's generated key (or give the station's own --csr)");
            }
            if (out != null && Files.exists(out.resolve("station.key"))) {
                throw HallmarkException.conflict(out.resolve("station.key") + " exists; not overwriting a key");
            }
            byte[] request = csr == null ? null : IssueCommand.read(csr);
            var spec = new StationSpec(name, site, productLine, cas, profiles, quota, instant(validFrom, "--valid-from"),
                    instant(validUntil, "--valid-until"), clientCa);
            StationCredentials c = parent.root.open().stations().create(spec, request, HallmarkCommand.actor());
            String certPem = Pem.certificate(c.certificate());
            String chain = Exports.pem(c.chain());
            if (out != null) {
                CaCommand.write(out.resolve("station.pem"), certPem.getBytes(StandardCharsets.US_ASCII));
                CaCommand.write(out.resolve("chain.pem"), chain.getBytes(StandardCharsets.US_ASCII));
                if (c.privateKeyPem() != null) {
                    OwnerOnlyFile.create(out.resolve("station.key"), c.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (output.json) {
                Output.json(new Created(StationRow.of(c.station()), out == null ? null : out.toAbsolutePath().toString()));
            } else {
                System.out.println("station " + name + " registered; client certificate " + c.station().certSerial()
                        + " (sha256 " + c.station().certFingerprint() + ")" + (out == null ? "" : " -> " + out));
                if (out == null) System.out.print(certPem);
            }
            return 0;
        }

        private static Instant instant(String text, String option) {
            if (text == null) return null;
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw HallmarkException.badInput(option + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, not '" + text + "'");
            }
        }
    }

    record Created(StationRow station, String out) {
    }

    /** JSON form of a station: times as ISO-8601 text. */
    record StationRow(String name, String site, String productLine, List<String> cas, List<String> profiles, Long quota, long issued,
                      String validFrom, String validUntil, String certificateSerial, String certificateSha256, String createdAt, String disabledAt) {
        static StationRow of(StationRecord s) {
            return new StationRow(s.name(), s.site(), s.productLine(), s.cas(), s.profiles(), s.quota(), s.issued(), text(s.validFrom()),
                    text(s.validUntil()), s.certSerial(), s.certFingerprint(), text(s.createdAt()), text(s.disabledAt()));
        }

        private static String text(Instant t) {
            return t == null ? null : t.toString();
        }
    }

    @Command(name = "list", description = "List stations with their rights, quota and issued count.")
    static final class ListStations implements Callable<Integer> {

        @ParentCommand
        StationCommand parent;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            List<StationRecord> stations = parent.root.open().stations().list();
            if (output.json) {
                Output.json(stations.stream().map(StationRow::of).toList());
                return 0;
            }
            Output.table(System.out, List.of("NAME", "SITE", "CAS", "PROFILES", "ISSUED", "QUOTA", "STATE", "CERTIFICATE"),
                    stations.stream().map(s -> List.of(s.name(), s.site() == null ? "-" : s.site(), String.join(",", s.cas()),
                            String.join(",", s.profiles()), Long.toString(s.issued()), s.quota() == null ? "unlimited" : s.quota().toString(),
                            s.disabledAt() == null ? "enabled" : "disabled", s.certSerial())).toList());
            return 0;
        }
    }
}
