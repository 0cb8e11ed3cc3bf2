package dev.promoter.promote.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promoter.promote.definition.StageDefinition;
import dev.promoter.promote.definition.SuiteDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only the latest attempt of every suite, and only {@code success}, lets a digest move on. */
class SuiteVerdictTest {

    private static final StageDefinition TEST = new StageDefinition("test", List.of(
            new SuiteDefinition("image-checks", SuiteDefinition.KIND_IMAGE_CHECKS, List.of(), true, 1),
            new SuiteDefinition("cart-api", SuiteDefinition.KIND_HTTP_SMOKE, List.of(), true, 1)), null);

    private static SuiteVerdict.Result result(String suite, int attempt, String outcome) {
        return new SuiteVerdict.Result(suite, attempt, outcome);
    }

    @Test
    void everySuiteSucceededPasses() {
        assertThat(SuiteVerdict.of(TEST, List.of(result("image-checks", 1, "success"), result("cart-api", 1,
                "success"))).kind()).isEqualTo(SuiteVerdict.Kind.PASSED);
    }

    @Test
    void aCancelledRunNeverPasses() {
        SuiteVerdict verdict = SuiteVerdict.of(TEST, List.of(result("image-checks", 1, "success"),
                result("cart-api", 1, "cancel")));

        assertThat(verdict.kind()).isEqualTo(SuiteVerdict.Kind.FAILED);
        assertThat(verdict.failed()).containsExactly("cart-api (cancel)");
    }

    @Test
    void aNewerAttemptSupersedesAnOlderResultEitherWay() {
        assertThat(SuiteVerdict.of(TEST, List.of(result("cart-api", 2, "success"), result("image-checks", 1, "success"),
                result("cart-api", 1, "failure"))).kind()).isEqualTo(SuiteVerdict.Kind.PASSED);
        assertThat(SuiteVerdict.of(TEST, List.of(result("cart-api", 1, "success"), result("image-checks", 1, "success"),
                result("cart-api", 2, "error"))).kind()).isEqualTo(SuiteVerdict.Kind.FAILED);
    }

    @Test
    void aSuiteWithoutAResultIsPending() {
        SuiteVerdict verdict = SuiteVerdict.of(TEST, List.of(result("image-checks", 1, "success")));

        assertThat(verdict.kind()).isEqualTo(SuiteVerdict.Kind.PENDING);
        assertThat(verdict.pending()).containsExactly("cart-api");
    }
}
