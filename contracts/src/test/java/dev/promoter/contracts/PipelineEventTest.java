package dev.promoter.contracts;

import static dev.promoter.contracts.GoldenSamples.APPLICATION;
import static dev.promoter.contracts.GoldenSamples.DIGEST;
import static dev.promoter.contracts.GoldenSamples.PREVIOUS_DIGEST;
import static dev.promoter.contracts.GoldenSamples.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.promoter.contracts.TestSuiteRunFinished.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineEventTest {

    private static final StagePolicy POLICY = GoldenSamples.PROD_POLICY;

    @Test
    void testSuiteRunIdIsDerivedFromContentSoAReplayNamesTheSameRun() {
        TestSuiteRunFinished run = new TestSuiteRunFinished(APPLICATION, DIGEST, "stage", "smoke", 2,
                Outcome.FAILURE, "GET /health answered 503");

        assertThat(run.runId()).isEqualTo("cart/stage/smoke/0b31b1c02ff4/2");
        assertThat(run.subjectId()).isEqualTo(run.runId());
    }

    @Test
    void serviceSubjectIsTheApplicationInAStage() {
        assertThat(new ServiceUpgraded(APPLICATION, REPOSITORY, "prod", DIGEST, PREVIOUS_DIGEST, null, null, POLICY)
                .subjectId()).isEqualTo("cart/prod");
    }

    @Test
    void artifactSubjectIsThePurl() {
        assertThat(new ArtifactPublished(APPLICATION, REPOSITORY, DIGEST, null, null, null).subjectId())
                .isEqualTo("pkg:oci/cart@sha256%3A" + DIGEST.hex() + "?repository_url=" + REPOSITORY);
    }

    @Test
    void outcomeSpeaksTheCdEventsWords() {
        assertThat(Outcome.values()).extracting(Outcome::wireValue)
                .containsExactly("success", "failure", "error", "cancel");
        assertThat(Outcome.fromWireValue("cancel")).isEqualTo(Outcome.CANCEL);
        assertThatIllegalArgumentException().isThrownBy(() -> Outcome.fromWireValue("passed"))
                .withMessage("outcome must be one of success|failure|error|cancel, got 'passed'");
    }

    @Test
    void firstDeploymentHasNoPreviousDigest() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ServiceDeployed(APPLICATION, REPOSITORY, "dev", DIGEST, PREVIOUS_DIGEST,
                        null, null, POLICY))
                .withMessageContaining("previousDigest must be null for a first deployment");
    }

    @Test
    void upgradeNamesTheDigestItMovedFrom() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ServiceUpgraded(APPLICATION, REPOSITORY, "prod", DIGEST, null, null, null,
                        POLICY))
                .withMessage("previousDigest is required");
    }

    @Test
    void promotionsCarryTheStagePolicy() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ServiceDeployed(APPLICATION, REPOSITORY, "dev", DIGEST, null, null, null, null))
                .withMessage("policy is required");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ServiceUpgraded(APPLICATION, REPOSITORY, "prod", DIGEST, PREVIOUS_DIGEST, null,
                        null, null))
                .withMessage("policy is required");
    }

    @Test
    void rollbackAndQuarantineAlwaysSayWhy() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ServiceRolledBack(APPLICATION, REPOSITORY, "prod", PREVIOUS_DIGEST, DIGEST,
                        " ", null))
                .withMessage("reason must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ArtifactQuarantined(APPLICATION, REPOSITORY, "prod", DIGEST, null))
                .withMessage("reason must not be blank");
    }

    @Test
    void attemptsCountFromOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TestSuiteRunFinished(APPLICATION, DIGEST, "dev", "smoke", 0, Outcome.SUCCESS,
                        null))
                .withMessage("attempt must be 1 or more, got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "shop/cart", "cart app", "-cart"})
    void applicationIsOneNameSegment(String application) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ArtifactPublished(application, REPOSITORY, DIGEST, null, null, null))
                .withMessageStartingWith("application must be 1 to 128 letters, digits, '.', '_' or '-'");
    }

    @Test
    void optionalTextIsAbsentRatherThanEmpty() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ArtifactPublished(APPLICATION, REPOSITORY, DIGEST, "", null, null))
                .withMessage("commit must be null or not blank");
    }
}
