package dev.promoter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionTest {

    @Test
    void percentilesAreNearestRankOfTheSortedSamples() {
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            samples.add((double) i);
        }
        Collections.shuffle(samples);

        Distribution d = Distribution.of(samples);

        assertThat(d.count()).isEqualTo(200);
        assertThat(d.p50()).isEqualTo(100.0);
        assertThat(d.p99()).isEqualTo(198.0);
        assertThat(d.min()).isEqualTo(1.0);
        assertThat(d.max()).isEqualTo(200.0);
        assertThat(d.mean()).isEqualTo(100.5);
    }

    @Test
    void fewSamplesMakeTheMaximumTheP99() {
        Distribution d = Distribution.of(new double[] {5, 1, 3});

        assertThat(d.p50()).isEqualTo(3.0);
        assertThat(d.p99()).isEqualTo(5.0);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Distribution d = Distribution.of(new double[] {7.5});

        assertThat(d.p50()).isEqualTo(7.5);
        assertThat(d.p99()).isEqualTo(7.5);
    }

    @Test
    void noSamplesGiveAnEmptyDistribution() {
        assertThat(Distribution.of(new double[0]).isEmpty()).isTrue();
        assertThat(Distribution.of(new double[0]).p99()).isNaN();
    }

    @Test
    void percentOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> Distribution.percentile(new double[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
