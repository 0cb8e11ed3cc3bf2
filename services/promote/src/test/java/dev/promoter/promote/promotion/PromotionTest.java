package dev.promoter.promote.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promoter.promote.definition.ApprovalDefinition;
import dev.promoter.promote.definition.GateDefinition;
import dev.promoter.promote.definition.People;
import dev.promoter.promote.definition.PromotionMode;
import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.gate.GateFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String NEWER = "sha256:" + "b".repeat(64);
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final People PEOPLE = new People(Map.of(
            "bob", new People.Person("bob", List.of("U0BOB"), List.of("bob-cli"), List.of("bob")),
            "cyd", new People.Person("cyd", List.of("U0CYD"), List.of(), List.of("cyd"))),
            Map.of("release-managers", List.of("bob", "cyd")));
    private static final StageDefinition PROD = new StageDefinition("prod", List.of(), null, null, PromotionMode.AUTO,
            new GateDefinition(null, new ApprovalDefinition(1, List.of("@release-managers"), Duration.ofHours(1)),
                    List.of(), null));

    private static Promotion waiting(GateFacts.Vote... votes) {
        return Promotion.of("shop", "prod", DIGEST, PromotionPhase.WAITING, null, new GateFacts(DIGEST, "stage", true,
                NOW.minusSeconds(600), null, false, NOW.minusSeconds(60), List.of(votes), null, null));
    }

    @Test
    void anApprovedPromotionEntersAndIsPromoted() {
        Promotion promotion = waiting(new GateFacts.Vote("bob", true, NOW, null));
        Promotion.Judgement judgement = promotion.judge(PROD, PEOPLE, NOW, null);
        assertThat(judgement.step()).isEqualTo(Promotion.Step.ENTER);
        assertThat(promotion.phase()).isEqualTo(PromotionPhase.PROMOTED);
        assertThat(promotion.explanation()).contains("approved by bob");
        assertThat(promotion.endedAt()).isEqualTo(NOW);
        assertThat(promotion.nextCheckAt()).isNull();
    }

    @Test
    void aPromotionWithoutApprovalWaitsAndSaysUntilWhen() {
        Promotion promotion = waiting();
        Promotion.Judgement first = promotion.judge(PROD, PEOPLE, NOW, null);
        assertThat(first.step()).isEqualTo(Promotion.Step.WAITS_CHANGED);
        assertThat(promotion.phase()).isEqualTo(PromotionPhase.WAITING);
        assertThat(promotion.explanation()).startsWith("waiting for 1 more approval");
        assertThat(promotion.nextCheckAt()).isEqualTo(NOW.minusSeconds(60).plus(Duration.ofHours(1)));
        assertThat(promotion.judge(PROD, PEOPLE, NOW.plusSeconds(1), null).step())
                .as("the same words again change nothing people see").isEqualTo(Promotion.Step.WAITS);
    }

    @Test
    void aRejectionEndsItRejectedAndAnExpiryLapsed() {
        Promotion rejected = waiting(new GateFacts.Vote("cyd", false, NOW, "breaks checkout"));
        assertThat(rejected.judge(PROD, PEOPLE, NOW, null).step()).isEqualTo(Promotion.Step.ENDED);
        assertThat(rejected.phase()).isEqualTo(PromotionPhase.REJECTED);

        Promotion lapsed = waiting();
        assertThat(lapsed.judge(PROD, PEOPLE, NOW.plus(Duration.ofHours(2)), null).step())
                .isEqualTo(Promotion.Step.ENDED);
        assertThat(lapsed.phase()).isEqualTo(PromotionPhase.LAPSED);
    }

    @Test
    void anEndedPromotionNeverMovesAgain() {
        Promotion promotion = waiting();
        promotion.supersede(NEWER, "superseded by bbbbbbbbbbbb", NOW);
        assertThat(promotion.phase()).isEqualTo(PromotionPhase.SUPERSEDED);
        assertThat(promotion.supersededBy()).isEqualTo(NEWER);
        assertThatThrownBy(() -> promotion.judge(PROD, PEOPLE, NOW, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> promotion.drop(NOW)).isInstanceOf(IllegalStateException.class);
        assertThat(PromotionPhase.WAITING.next()).containsExactlyInAnyOrder(PromotionPhase.PROMOTED,
                PromotionPhase.REJECTED, PromotionPhase.LAPSED, PromotionPhase.SUPERSEDED);
        assertThat(PromotionPhase.PROMOTED.next()).isEmpty();
    }
}
