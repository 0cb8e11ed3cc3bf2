package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.promoter.contracts.GoldenSamples.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample files stay what the codec writes today. After a deliberate contract change, rewrite them with
 * {@code mvn test -Dcontracts.updateSamples=true}, review the diff, and run the tests again.
 */
class GoldenSamplesTest {

    private static final Path SOURCE_DIR = Path.of("src", "test", "resources", "samples");

    static Stream<Sample> samples() {
        return GoldenSamples.all().stream();
    }

    @Test
    void everyEventTypeHasASample() {
        Set<Class<?>> sampled = GoldenSamples.all().stream().map(sample -> sample.event().getClass())
                .collect(Collectors.toSet());

        assertThat(sampled).isEqualTo(Set.of(PipelineEvent.class.getPermittedSubclasses()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleIsWhatTheCodecWritesToday(Sample sample) throws IOException {
        Path file = SOURCE_DIR.resolve(sample.name() + ".json");
        JsonNode encoded = Examples.tree(CdEventCodec.encode(sample.event(), sample.context()));
        if (Boolean.getBoolean("contracts.updateSamples")) {
            Files.writeString(file, Schemas.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(encoded) + "\n",
                    StandardCharsets.UTF_8);
        }

        assertThat(Examples.tree(Files.readAllBytes(file))).isEqualTo(encoded);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleOnTheClasspathDecodesToItsEvent(Sample sample) {
        assertThat(CdEventCodec.decode(sample.json())).isEqualTo(new DecodedEvent(sample.context(), sample.event()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleIsNamedAfterItsSchema(Sample sample) {
        assertThat(sample.name()).isEqualTo(OwnSchemaContractTest.ownSchemaName(sample.event().type()));
    }
}
