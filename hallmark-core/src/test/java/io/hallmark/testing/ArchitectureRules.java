package io.hallmark.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;
import java.util.regex.Pattern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package rules of docs/architecture.md, in one place: every module's {@code ArchitectureTest} checks
 * them over the production classes it sees (its own and those of every module it depends on), so a
 * module's build fails as soon as it breaks one, and the last module's build sees all of them.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Each package is a slice; a cycle between any two, within a module or across modules, fails. */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.hallmark.(**)").namingSlices("$1")
            .should().beFreeOfCycles();

    /** Core is PKI only: no web server, no HTTP client, no SQL, no pool, no migrations. */
    public static final ArchRule CORE_HAS_NO_HTTP_OR_SQL = noClasses().that().resideInAPackage("io.hallmark.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "jakarta.servlet..", "java.net.http..",
                    "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..", "org.postgresql..", "org.sqlite..")
            .because("hallmark-core holds no HTTP and no SQL: the server and the store do");

    /**
     * The root package holds the composition root ({@code Hallmark}) alone: it wires the services, and no
     * service reaches back for it, so services depend on the narrow services they use.
     */
    public static final ArchRule NOTHING_IN_CORE_USES_THE_COMPOSITION_ROOT = noClasses()
            .that().resideInAPackage("io.hallmark.core..").and().resideOutsideOfPackage("io.hallmark.core")
            .should().dependOnClassesThat().resideInAPackage("io.hallmark.core")
            .because("services take the services they use, not the Hallmark facade that wires them");

    public static final List<ArchRule> ALL = List.of(NO_PACKAGE_CYCLES, CORE_HAS_NO_HTTP_OR_SQL, NOTHING_IN_CORE_USES_THE_COMPOSITION_ROOT);

    /** Test classes and test-jars (the test kit itself) are not the product; fixtures may break rules on purpose. */
    private static final Pattern TEST_LOCATION = Pattern.compile(".*(/test-classes/|-tests\\.jar).*");

    /** Every Hallmark production class on the class path: target/classes or the module jars, no test classes. */
    public static JavaClasses productionClasses() {
        ImportOption production = location -> !location.matches(TEST_LOCATION);
        return new ClassFileImporter().withImportOption(production).importPackages("io.hallmark");
    }

    /**
     * Checks {@link #ALL} over {@link #productionClasses()}, after making sure the calling module's own classes
     * are among them (an import that found nothing would pass every rule).
     *
     * @param ownClass any production class of the calling module
     */
    public static void check(Class<?> ownClass) {
        JavaClasses classes = productionClasses();
        assertTrue(classes.contain(ownClass), "the import did not find " + ownClass.getName() + " among " + classes.size() + " classes");
        for (ArchRule rule : ALL) {
            rule.check(classes);
        }
    }
}
