package io.hallmark.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** The reason a test did not run reaches the console, once per class and reason, with the count. */
class SkipReasonsTest {

    /** Fixtures run by the launcher below only (nested classes are not run by surefire's default includes). */
    static class MissingPeer {
        @Test
        void one() {
            Assumptions.abort("test peer missing, test not run: frobnicator is not installed (apt-get install frobnicator)");
        }

        @Test
        void two() {
            Assumptions.abort("test peer missing, test not run: frobnicator is not installed (apt-get install frobnicator)");
        }

        @Test
        void runs() {
        }

        @Disabled("needs a hardware token")
        @Test
        void disabled() {
        }
    }

    static class AbortedBeforeAll {
        @BeforeAll
        static void peer() {
            Assumptions.abort("no PostgreSQL configured");
        }

        @Test
        void never() {
        }
    }

    private static List<String> run(Class<?> fixture) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // Without the listeners found by ServiceLoader: the global SkipReasons would print these fixtures' skips too.
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build()).execute(request().selectors(selectClass(fixture)).build(), new SkipReasons(out));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void abortedAndDisabledTestsAreListedWithTheirReasonWhenTheirClassEnds() {
        List<String> lines = run(MissingPeer.class);
        assertEquals(List.of(
                "SKIPPED 2 tests of SkipReasonsTest$MissingPeer: test peer missing, test not run: frobnicator is not installed (apt-get install frobnicator)",
                "SKIPPED a test of SkipReasonsTest$MissingPeer: needs a hardware token"), lines);
    }

    @Test
    void aClassAbortedBeforeItsTestsIsNamedAsAWhole() {
        assertEquals(List.of("SKIPPED SkipReasonsTest$AbortedBeforeAll (the whole class): no PostgreSQL configured"), run(AbortedBeforeAll.class));
    }

    @Test
    void everyModuleGetsItThroughServiceLoader() {
        assertTrue(ServiceLoader.load(TestExecutionListener.class).stream().anyMatch(p -> p.type() == SkipReasons.class),
                "META-INF/services/org.junit.platform.launcher.TestExecutionListener names SkipReasons");
    }
}
