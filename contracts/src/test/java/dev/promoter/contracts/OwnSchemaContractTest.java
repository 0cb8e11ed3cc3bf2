package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import dev.promoter.contracts.GoldenSamples.Sample;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event we write matches our own published schema under src/main/resources/schemas. */
class OwnSchemaContractTest {

    static Stream<Sample> examples() {
        return Examples.all();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void ourEventIsValidByOurSchema(Sample sample) {
        byte[] json = CdEventCodec.encode(sample.event(), sample.context());

        assertThat(Schemas.validate(Schemas.own(ownSchemaName(sample.event().type())), json)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void ourSchemaPinsTheEventType(Sample sample) {
        assertThat(Schemas.own(ownSchemaName(sample.event().type())).getSchemaNode()
                .at("/properties/context/properties/type/const").textValue()).isEqualTo(sample.event().type());
    }

    @Test
    void ourSchemaRejectsAnUppercaseDigestInCustomData() {
        byte[] json = Examples.mutated(GoldenSamples.SERVICE_UPGRADED, root -> ((ObjectNode) root.get("customData"))
                .put("previousDigest", GoldenSamples.PREVIOUS_DIGEST.value().toUpperCase()));

        assertThat(Schemas.validate(Schemas.own("service-upgraded"), json))
                .extracting(ValidationMessage::getType).containsExactly("pattern");
    }

    @Test
    void ourSchemaRejectsAMissingRequiredField() {
        byte[] json = Examples.mutated(GoldenSamples.SERVICE_ROLLEDBACK,
                root -> ((ObjectNode) root.get("customData")).remove("rolledBackDigest"));

        assertThat(Schemas.validate(Schemas.own("service-rolledback"), json))
                .extracting(ValidationMessage::getProperty).containsExactly("rolledBackDigest");
    }

    @Test
    void ourSchemaRejectsAFieldItDoesNotDescribe() {
        byte[] json = Examples.mutated(GoldenSamples.ARTIFACT_PUBLISHED,
                root -> ((ObjectNode) root.get("customData")).put("tag", "latest"));

        assertThat(Schemas.validate(Schemas.own("artifact-published"), json))
                .extracting(ValidationMessage::getType).containsExactly("additionalProperties");
    }

    @ParameterizedTest
    @CsvSource({
        "service-deployed, /customData/policy",
        "service-upgraded, /customData/policy",
        "service-upgraded, /customData/policy/suites/0",
        "service-upgraded, /customData/policy/health"})
    void ourSchemaRejectsAPolicyMemberItDoesNotDescribe(String schema, String object) {
        Sample sample = schema.equals("service-deployed") ? GoldenSamples.SERVICE_DEPLOYED
                : GoldenSamples.SERVICE_UPGRADED;
        byte[] json = Examples.mutated(sample, root -> ((ObjectNode) root.at(object)).put("flaky", 3));

        assertThat(Schemas.validate(Schemas.own(schema), json))
                .extracting(ValidationMessage::getType).containsExactly("additionalProperties");
    }

    @ParameterizedTest
    @CsvSource({"service-deployed", "service-upgraded"})
    void ourSchemaRequiresThePolicyOfAPromotion(String schema) {
        Sample sample = schema.equals("service-deployed") ? GoldenSamples.SERVICE_DEPLOYED
                : GoldenSamples.SERVICE_UPGRADED;
        byte[] json = Examples.mutated(sample, root -> ((ObjectNode) root.get("customData")).remove("policy"));

        assertThat(Schemas.validate(Schemas.own(schema), json))
                .extracting(ValidationMessage::getProperty).containsExactly("policy");
    }

    @Test
    void ourSchemaRejectsAPolicyValueOfTheWrongShape() {
        byte[] json = Examples.mutated(GoldenSamples.SERVICE_UPGRADED, root -> {
            ((ObjectNode) root.at("/customData/policy/suites/0")).put("maxSizeBytes", 0);
            ((ObjectNode) root.at("/customData/policy/health")).put("url", "/stages/prod/health");
        });

        assertThat(Schemas.validate(Schemas.own("service-upgraded"), json))
                .extracting(message -> message.getInstanceLocation().toString())
                .containsOnly("/customData/policy/suites/0/maxSizeBytes", "/customData/policy/health/url");
    }

    @Test
    void ourSchemaAcceptsASuiteKindConsumersDoNotKnowYet() {
        byte[] json = Examples.mutated(GoldenSamples.SERVICE_UPGRADED,
                root -> ((ObjectNode) root.at("/customData/policy/suites/0")).put("kind", "chaos-monkey"));

        assertThat(Schemas.validate(Schemas.own("service-upgraded"), json)).isEmpty();
    }

    // dev.cdevents.service.rolledback.0.3.0 -> service-rolledback;
    // dev.cdeventsx.promoter-artifact.quarantined.0.1.0 -> artifact-quarantined
    static String ownSchemaName(String type) {
        String[] parts = type.split("\\.");
        return parts[2].replaceFirst("^promoter-", "") + "-" + parts[3];
    }
}
