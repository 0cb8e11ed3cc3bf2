package dev.promoter.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** StageDrifted: a tag that was gone round-trips without foundDigest; a "drift" to the recorded digest is refused. */
class StageDriftedTest {

    @Test
    void aTagThatWasGoneHasNoFoundDigest() {
        StageDrifted gone = new StageDrifted(GoldenSamples.APPLICATION, GoldenSamples.REPOSITORY, "prod",
                GoldenSamples.DIGEST, null, false);
        byte[] json = CdEventCodec.encode(gone, GoldenSamples.STAGE_DRIFTED.context());

        assertThat(CdEventCodec.decode(json).event()).isEqualTo(gone);
        assertThat(Schemas.validate(Schemas.own("stage-drifted"), json)).isEmpty();
        assertThat(Examples.tree(json).at("/customData").has("foundDigest")).isFalse();
    }

    @Test
    void theRecordedDigestIsNoDrift() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StageDrifted(GoldenSamples.APPLICATION,
                GoldenSamples.REPOSITORY, "prod", GoldenSamples.DIGEST, GoldenSamples.DIGEST, false))
                .withMessageContaining("no drift");
    }
}
