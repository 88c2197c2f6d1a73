package dev.strata.processor.testing;

import dev.strata.processor.testing.PrometheusText.Family;
import dev.strata.processor.testing.PrometheusText.Sample;
import dev.strata.processor.testing.PrometheusText.Scrape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a PromQL selector against a scrape of {@code /metrics}: the series exists, carries the
 * labels the selector matches on, and suits the functions applied to it (rate() over a counter
 * or a histogram's series, delta() over a gauge, histogram_quantile() over {@code _bucket}).
 */
public final class ExportedSeries {

    /**
     * Series Prometheus makes itself for every target; the processor cannot export them.
     * Only {@code up} is queried (instance down).
     */
    private static final Set<String> SYNTHETIC = Set.of("up");
    /** Target labels Prometheus attaches to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "irate", "increase", "resets");
    private static final Set<String> GAUGE_FUNCTIONS = Set.of("delta", "idelta", "deriv", "predict_linear");

    private ExportedSeries() {
    }

    /** What is wrong with {@code selector} against {@code scrape}; empty when nothing is. */
    public static List<String> problems(String where, PromQl.Selector selector, Scrape scrape) {
        String metric = selector.metric();
        String at = where + ": " + metric;
        if (SYNTHETIC.contains(metric)) {
            return selector.labels().stream().allMatch(TARGET_LABELS::contains)
                    ? List.of() : List.of(at + " is a Prometheus series with target labels only");
        }
        Optional<Family> family = scrape.familyOfSample(metric);
        if (family.isEmpty()) {
            return List.of(at + " is not exported");
        }
        List<String> problems = new ArrayList<>();
        List<Sample> samples = scrape.samples(metric);
        for (String label : selector.labels()) {
            if (!TARGET_LABELS.contains(label) && samples.stream().noneMatch(s -> s.labels().containsKey(label))) {
                problems.add(at + " has no label " + label);
            }
        }
        String type = family.get().type();
        boolean histogramSeries = type.equals("histogram") || type.equals("summary") && !metric.equals(family.get().name());
        if (metric.endsWith("_bucket") && !type.equals("histogram")) {
            problems.add(at + " is a " + type + ", not a histogram's buckets");
        }
        if (selector.functions().contains("histogram_quantile") && !(type.equals("histogram")
                && metric.endsWith("_bucket"))) {
            problems.add(at + " under histogram_quantile is not a histogram's _bucket series");
        }
        if (selector.functions().stream().anyMatch(COUNTER_FUNCTIONS::contains)
                && !type.equals("counter") && !histogramSeries) {
            problems.add(at + " is a " + type + ": rate/increase need a counter");
        }
        if (selector.functions().stream().anyMatch(GAUGE_FUNCTIONS::contains) && !type.equals("gauge")) {
            problems.add(at + " is a " + type + ": delta/deriv need a gauge");
        }
        return problems;
    }
}
