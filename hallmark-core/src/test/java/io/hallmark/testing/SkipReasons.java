package io.hallmark.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Prints why tests did not run, on the console, when their class ends: "SKIPPED 10 tests of PostgresStoreTest: test
 * peer missing, test not run: no PostgreSQL configured: set HALLMARK_TEST_POSTGRES=...". Surefire's console shows
 * only a count of skipped tests and keeps the reason (a {@link Peers} abort, an assumption, {@code @Disabled}) in
 * its XML report, so a developer missing a peer saw "Skipped: 10" and had to dig for what to install. Registered for
 * every module through META-INF/services of this test-jar (JUnit Platform loads listeners with ServiceLoader).
 */
public final class SkipReasons implements TestExecutionListener {

    private final PrintStream out;
    private TestPlan plan;
    /** Per class (its unique id): reason → how many of its tests it kept from running. */
    private final Map<String, Map<String, Integer>> pending = new LinkedHashMap<>();
    /** Classes aborted as a whole (in {@code @BeforeAll}): their tests are never started one by one. */
    private final java.util.Set<String> whole = new java.util.HashSet<>();

    public SkipReasons() {
        this(System.err); // surefire forwards the fork's stderr to the console as it comes
    }

    SkipReasons(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        note(test, reason == null || reason.isBlank() ? "disabled" : reason);
        if (classOf(test).isEmpty()) report(test); // no executionFinished follows a skip
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            note(test, result.getThrowable().map(Throwable::getMessage).filter(m -> !m.isBlank()).orElse("aborted"));
        }
        if (isClass(test) || classOf(test).isEmpty()) report(test);
    }

    /** Counts a test (or a whole class, aborted before its tests) against its class. */
    private void note(TestIdentifier test, String reason) {
        String owner = classOf(test).orElse(test).getUniqueId();
        pending.computeIfAbsent(owner, k -> new LinkedHashMap<>()).merge(reason.lines().findFirst().orElse(reason), 1, Integer::sum);
        if (isClass(test)) whole.add(owner);
    }

    private void report(TestIdentifier owner) {
        Map<String, Integer> reasons = pending.remove(owner.getUniqueId());
        if (reasons == null) return;
        boolean all = whole.remove(owner.getUniqueId());
        reasons.forEach((reason, count) -> out.println("SKIPPED " + (all ? name(owner) + " (the whole class)"
                : count == 1 ? "a test of " + name(owner) : count + " tests of " + name(owner)) + ": " + reason));
        out.flush();
    }

    private Optional<TestIdentifier> classOf(TestIdentifier test) {
        for (TestIdentifier t = test; t != null; t = plan == null ? null : plan.getParent(t).orElse(null)) {
            if (isClass(t)) return Optional.of(t);
        }
        return Optional.empty();
    }

    private static boolean isClass(TestIdentifier t) {
        return t.getSource().orElse(null) instanceof ClassSource;
    }

    private static String name(TestIdentifier t) {
        if (t.getSource().orElse(null) instanceof ClassSource c) {
            String n = c.getClassName();
            return n.substring(n.lastIndexOf('.') + 1);
        }
        return t.getDisplayName();
    }
}
