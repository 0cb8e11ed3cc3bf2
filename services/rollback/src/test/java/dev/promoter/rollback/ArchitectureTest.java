package dev.promoter.rollback;

import dev.promoter.testinfra.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** No package cycles, plain domain classes, no other service imported (ArchUnit; issue 18, item 7). */
class ArchitectureTest {

    @Test
    void theServiceKeepsItsStructure() {
        ArchitectureRules.check("rollback");
    }
}
