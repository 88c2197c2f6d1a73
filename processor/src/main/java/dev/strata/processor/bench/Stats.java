package dev.strata.processor.bench;

import java.util.Arrays;

/** Summaries of measured samples. */
final class Stats {

    private Stats() {
    }

    /** Mean and spread of repeated measurements of one quantity. */
    record Spread(int n, double mean, double stddev, double min, double max) {

        static Spread of(double[] values) {
            if (values.length == 0) {
                return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            // Sample standard deviation: the rounds are a sample of what the machine does.
            double stddev = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
            return new Spread(values.length, mean, stddev, min, max);
        }
    }

    /** Latency distribution in milliseconds; percentiles by the nearest-rank method. */
    record Percentiles(int n, double mean, double p50, double p95, double p99, double max) {

        static Percentiles of(double[] values) {
            if (values.length == 0) {
                return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (double v : sorted) {
                sum += v;
            }
            return new Percentiles(sorted.length, sum / sorted.length, rank(sorted, 0.50), rank(sorted, 0.95),
                    rank(sorted, 0.99), sorted[sorted.length - 1]);
        }

        private static double rank(double[] sorted, double p) {
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
