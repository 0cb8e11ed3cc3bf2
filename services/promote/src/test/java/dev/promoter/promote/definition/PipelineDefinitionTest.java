package dev.promoter.promote.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineDefinitionTest {

    private static final PipelineDefinition SHOP_CART = new PipelineDefinition("shop-cart", "localhost:5000/shop/cart",
            List.of(stage("dev"), stage("test"), stage("stage"), stage("prod")));

    @Test
    void firstStageIsTheFirstListed() {
        assertThat(SHOP_CART.firstStage().name()).isEqualTo("dev");
    }

    @Test
    void nextStageFollowsTheListedOrder() {
        assertThat(SHOP_CART.nextStage("dev")).map(StageDefinition::name).contains("test");
        assertThat(SHOP_CART.nextStage("test")).map(StageDefinition::name).contains("stage");
        assertThat(SHOP_CART.nextStage("stage")).map(StageDefinition::name).contains("prod");
    }

    @Test
    void nothingFollowsTheLastStage() {
        assertThat(SHOP_CART.nextStage("prod")).isEmpty();
    }

    @Test
    void aSingleStagePipelineHasNoNextStage() {
        PipelineDefinition single = new PipelineDefinition("cart", "localhost/cart", List.of(stage("prod")));

        assertThat(single.firstStage().name()).isEqualTo("prod");
        assertThat(single.nextStage("prod")).isEmpty();
    }

    @Test
    void nextStageOfAnUnknownStageIsAnErrorNotTheEnd() {
        assertThatThrownBy(() -> SHOP_CART.nextStage("qa"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("application shop-cart has no stage 'qa'; its stages are [dev, test, stage, prod]");
    }

    @Test
    void stageFindsByName() {
        assertThat(SHOP_CART.stage("stage")).contains(stage("stage"));
        assertThat(SHOP_CART.stage("qa")).isEmpty();
    }

    @Test
    void stageNamesAreInOrder() {
        assertThat(SHOP_CART.stageNames()).containsExactly("dev", "test", "stage", "prod");
    }

    @Test
    void stagesAreCopiedSoTheCallerCannotChangeThemLater() {
        List<StageDefinition> stages = new ArrayList<>(List.of(stage("dev")));
        PipelineDefinition definition = new PipelineDefinition("cart", "localhost/cart", stages);

        stages.add(stage("prod"));

        assertThat(definition.stageNames()).containsExactly("dev");
        assertThatThrownBy(() -> definition.stages().add(stage("x"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aPipelineWithoutStagesCannotBeBuilt() {
        assertThatThrownBy(() -> new PipelineDefinition("cart", "localhost/cart", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPipelineWithTwoStagesOfOneNameCannotBeBuilt() {
        assertThatThrownBy(() -> new PipelineDefinition("cart", "localhost/cart", List.of(stage("dev"), stage("dev"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dev'");
    }

    @Test
    void aSuiteCopiesItsLabels() {
        List<String> labels = new ArrayList<>(List.of("a"));
        SuiteDefinition suite = new SuiteDefinition("s", SuiteDefinition.KIND_IMAGE_CHECKS, labels, true, 1);

        labels.add("b");

        assertThat(suite.requiredLabels()).containsExactly("a");
    }

    private static StageDefinition stage(String name) {
        return new StageDefinition(name, List.of(), null);
    }
}
