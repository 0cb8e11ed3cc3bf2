package dev.promoter.test;

import dev.promoter.testinfra.ReadinessContract;
import dev.promoter.testinfra.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(RealInfrastructure.class)
class ReadinessTest extends ReadinessContract {
}
