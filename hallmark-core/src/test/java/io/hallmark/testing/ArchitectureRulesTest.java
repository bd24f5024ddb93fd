package io.hallmark.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.hallmark.core.archfixture.ReadsJdbc;
import io.hallmark.core.archfixture.UsesTheFacade;
import io.hallmark.testing.archfixture.a.CallsB;
import io.hallmark.testing.archfixture.b.CallsA;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule fails on a class that breaks it (fixtures in test packages), so a passing ArchitectureTest means something. */
class ArchitectureRulesTest {

    @Test
    void aCycleBetweenTwoPackagesFails() {
        String message = violation(ArchitectureRules.NO_PACKAGE_CYCLES, CallsA.class, CallsB.class);
        assertTrue(message.contains("Cycle detected: testing.archfixture.a -> ") && message.contains("testing.archfixture.b -> "), message);
    }

    @Test
    void sqlInCoreFails() {
        String message = violation(ArchitectureRules.CORE_HAS_NO_HTTP_OR_SQL, ReadsJdbc.class);
        assertTrue(message.contains("java.sql.Connection"), message);
    }

    @Test
    void aCoreServiceUsingTheCompositionRootFails() {
        String message = violation(ArchitectureRules.NOTHING_IN_CORE_USES_THE_COMPOSITION_ROOT, UsesTheFacade.class);
        assertTrue(message.contains("io.hallmark.core.Hallmark"), message);
    }

    @Test
    void theTestKitAndFixturesAreNotProductionClasses() {
        JavaClasses production = ArchitectureRules.productionClasses();
        assertTrue(production.contain(io.hallmark.core.Hallmark.class));
        assertTrue(!production.contain(CallsA.class) && !production.contain(ReadsJdbc.class) && !production.contain(ArchitectureRules.class));
    }

    private static String violation(ArchRule rule, Class<?>... classes) {
        return assertThrows(AssertionError.class, () -> rule.check(new ClassFileImporter().importClasses(classes))).getMessage();
    }
}
