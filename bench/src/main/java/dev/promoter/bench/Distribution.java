package dev.promoter.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * A set of latency samples in milliseconds, summarised by nearest-rank percentiles: the p-th percentile is the
 * smallest sample that at least p % of the samples do not exceed, so p99 of 200 samples is the 198th smallest.
 */
record Distribution(int count, double p50, double p99, double min, double max, double mean) {

    static final Distribution EMPTY = new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static Distribution of(Collection<Double> samplesMs) {
        double[] values = samplesMs.stream().mapToDouble(Double::doubleValue).toArray();
        return of(values);
    }

    static Distribution of(double[] samplesMs) {
        if (samplesMs.length == 0) {
            return EMPTY;
        }
        double[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double value : sorted) {
            sum += value;
        }
        return new Distribution(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[0],
                sorted[sorted.length - 1], sum / sorted.length);
    }

    /** Nearest rank on ascending {@code sorted}; {@code percent} in (0, 100]. */
    static double percentile(double[] sorted, double percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    boolean isEmpty() {
        return count == 0;
    }
}
