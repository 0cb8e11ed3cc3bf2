package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import dev.promoter.contracts.GoldenSamples.Sample;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event we write is a valid CDEvent by the spec's own v0.5.1 schemas, not by ours. */
class CdEventsSpecContractTest {

    static Stream<Sample> examples() {
        return Examples.all();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void ourEventIsValidBySpecSchema(Sample sample) {
        byte[] json = CdEventCodec.encode(sample.event(), sample.context());

        assertThat(Schemas.validate(Schemas.spec(sample.event().type()), json)).isEmpty();
    }

    /** Proves the validator, its $ref mapping and the vendored files work: the spec's examples pass. */
    @ParameterizedTest
    @CsvSource({
        "artifact_published.json, dev.cdevents.artifact.published.0.3.0",
        "testsuiterun_finished.json, dev.cdevents.testsuiterun.finished.0.3.0",
        "service_deployed.json, dev.cdevents.service.deployed.0.3.0",
        "service_upgraded.json, dev.cdevents.service.upgraded.0.3.0",
        "service_rolledback.json, dev.cdevents.service.rolledback.0.3.0"})
    void specConformanceExampleIsValidBySameSchema(String file, String type) {
        byte[] example = bytes("cdevents-v0.5.1/conformance/" + file);

        assertThat(Schemas.validate(Schemas.spec(type), example)).isEmpty();
    }

    @Test
    void specCustomExampleIsValidByCustomSchema() {
        byte[] example = bytes("cdevents-v0.5.1/custom/conformance.json");

        assertThat(Schemas.validate(Schemas.spec(ArtifactQuarantined.TYPE), example)).isEmpty();
    }

    @Test
    void specSchemaRejectsAnOutcomeOutsideItsEnum() {
        byte[] json = Examples.mutated(GoldenSamples.TESTSUITERUN_FINISHED,
                root -> ((ObjectNode) root.at("/subject/content")).put("outcome", "passed"));

        assertThat(Schemas.validate(Schemas.spec(TestSuiteRunFinished.TYPE), json))
                .extracting(ValidationMessage::getInstanceLocation).map(Object::toString)
                .containsExactly("/subject/content/outcome");
    }

    @Test
    void specSchemaRejectsAMissingSubjectId() {
        byte[] json = Examples.mutated(GoldenSamples.SERVICE_UPGRADED,
                root -> ((ObjectNode) root.get("subject")).remove("id"));

        Set<ValidationMessage> errors = Schemas.validate(Schemas.spec(ServiceUpgraded.TYPE), json);

        assertThat(errors).extracting(ValidationMessage::getType).containsExactly("required");
        assertThat(errors).extracting(ValidationMessage::getProperty).containsExactly("id");
    }

    @Test
    void specSchemaRejectsContentItDoesNotDefine() {
        byte[] json = Examples.mutated(GoldenSamples.ARTIFACT_PUBLISHED,
                root -> ((ObjectNode) root.at("/subject/content")).put("commit", "9fceb02"));

        assertThat(Schemas.validate(Schemas.spec(ArtifactPublished.TYPE), json)).isNotEmpty();
    }

    @Test
    void specSchemaRejectsABadTimestamp() {
        byte[] json = Examples.mutated(GoldenSamples.SERVICE_DEPLOYED,
                root -> ((ObjectNode) root.get("context")).put("timestamp", "2026-03-02 10:00"));

        assertThat(Schemas.validate(Schemas.spec(ServiceDeployed.TYPE), json))
                .extracting(ValidationMessage::getType).containsExactly("format");
    }

    @Test
    void customSchemaRejectsATypeNotNamedByTheCustomRule() {
        byte[] json = Examples.mutated(GoldenSamples.ARTIFACT_QUARANTINED,
                root -> ((ObjectNode) root.get("context")).put("type", "dev.cdeventsx.promoter.quarantined.0.1.0"));

        assertThat(Schemas.validate(Schemas.spec(ArtifactQuarantined.TYPE), json))
                .extracting(ValidationMessage::getType).containsExactly("pattern");
    }

    private static byte[] bytes(String resource) {
        return Schemas.readTree(resource).toString().getBytes(StandardCharsets.UTF_8);
    }
}
