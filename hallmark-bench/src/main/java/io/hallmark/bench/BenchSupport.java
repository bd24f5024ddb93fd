package io.hallmark.bench;

import io.hallmark.cli.Installation;
import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.vault.Passphrase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway installation for benchmarks, and small helpers to time things. */
final class BenchSupport implements AutoCloseable {

    final Path dir;
    final String passphrase;
    final Hallmark hallmark;

    BenchSupport() {
        this(null);
    }

    /** With {@code db} (a PostgreSQL URL selecting a fresh schema), the store is there; else SQLite in the directory. */
    BenchSupport(String db) {
        try {
            dir = Files.createTempDirectory("hallmark-bench-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        hallmark = Installation.open(dir, db, () -> new Passphrase(passphrase.toCharArray(), "bench", false));
        hallmark.init(HierarchySpec.defaults(), "bench");
    }

    static String run(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new HallmarkException(HallmarkException.Kind.INTERNAL, String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw HallmarkException.notFound("cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double percentile(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    @Override
    public void close() {
        hallmark.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("hallmark: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
