package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import dev.promoter.contracts.GoldenSamples.Sample;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

    // dev.cdevents.service.rolledback.0.3.0 -> service-rolledback;
    // dev.cdeventsx.promoter-artifact.quarantined.0.1.0 -> artifact-quarantined
    static String ownSchemaName(String type) {
        String[] parts = type.split("\\.");
        return parts[2].replaceFirst("^promoter-", "") + "-" + parts[3];
    }
}
