package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.EventType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "events", description = {"List telemetry events, newest first: issuance, enrollment, re-enrollment, auth-failure, "
        + "revocation, ocsp (counts per minute), crl, factory (per chunk), auth-reported (from brokers and clouds).",
        "Streamed: memory stays bounded whatever --limit. Events older than the retention ('events retention') are purged by 'serve'."},
        subcommands = EventsCommand.Retention.class)
final class EventsCommand implements Callable<Integer> {

    static final int MAX_LIMIT = 1_000_000;

    @ParentCommand
    HallmarkCommand root;
    @Option(names = "--device", paramLabel = "ID", description = "Only this device's events.")
    String device;
    @Option(names = "--type", paramLabel = "TYPE", description = "Only this kind (issuance, enrollment, reenrollment, auth-failure, "
            + "revocation, ocsp, crl, factory, auth-reported).")
    String type;
    @Option(names = "--since", paramLabel = "DURATION", description = "Only events within this long, e.g. 1h, 7d.")
    String since;
    @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "At most this many (default ${DEFAULT-VALUE}, at most 1000000).")
    int limit;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) throw HallmarkException.badInput("--limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        EventType kind;
        Instant from;
        try {
            kind = type == null ? null : EventType.parse(type);
            from = since == null ? null : Instant.now().minus(Validity.parseDuration(since));
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput(e.getMessage());
        }
        var store = root.open().store();
        if (output.json) {
            try (Output.JsonArray out = Output.jsonArray()) {
                store.run(tx -> tx.events().scan(device, kind, from, limit,
                        e -> out.add(new Row(e.at(), e.type().id(), e.device(), e.subject(), e.result(), e.detail(), e.count()))));
            }
        } else {
            System.out.printf("%-24s  %-13s  %-20s  %-20s  %-6s  %6s  %s%n", "TIME", "TYPE", "DEVICE", "SUBJECT", "RESULT", "COUNT", "DETAIL");
            store.run(tx -> tx.events().scan(device, kind, from, limit, e -> System.out.printf("%-24s  %-13s  %-20s  %-20s  %-6s  %6d  %s%n",
                    e.at(), e.type().id(), dash(e.device()), dash(e.subject()), dash(e.result()), e.count(), dash(e.detail()))));
        }
        return 0;
    }

    private static String dash(String s) {
        return s == null ? "-" : Output.safe(s);
    }

    /** The JSON shape of an event: its type by its command-line name. */
    record Row(Instant at, String type, String device, String subject, String result, String detail, long count) {
    }

    @Command(name = "retention", description = {"Show or set how long events are kept (shared by every node; default 90d, at least 1d).",
            "A serving node purges older events every hour."})
    static final class Retention implements Callable<Integer> {
        @ParentCommand
        EventsCommand events;
        @Parameters(arity = "0..1", paramLabel = "DURATION", description = "The new retention, e.g. 30d.")
        String duration;

        @Override
        public Integer call() {
            var retention = events.root.open().eventRetention();
            Duration d = duration == null ? retention.current() : retention.set(duration, HallmarkCommand.actor());
            System.out.println("events retention: " + d.toDays() + "d");
            return 0;
        }
    }
}
