package dev.strata.processor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.testing.PrometheusText.Scrape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportedSeriesTest {

    private static final Scrape SCRAPE = PrometheusText.parse("""
            # TYPE frames_total counter
            frames_total{reason="corrupt"} 1.0
            # TYPE in_flight gauge
            in_flight 2.0
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="1.0"} 1.0
            latency_seconds_bucket{le="+Inf"} 1.0
            latency_seconds_count 1.0
            latency_seconds_sum 0.5
            """);

    private static List<String> problems(String expr) {
        List<String> problems = new ArrayList<>();
        for (PromQl.Selector selector : PromQl.selectors(expr)) {
            problems.addAll(ExportedSeries.problems("q", selector, SCRAPE));
        }
        return problems;
    }

    @Test
    void acceptsSeriesThatExistUsedAsTheirTypesAllow() {
        assertThat(problems("""
                sum by (instance, reason) (rate(frames_total{job="strata", reason="corrupt"}[5m]))
                + histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket[5m])))
                + rate(latency_seconds_sum[5m]) / rate(latency_seconds_count[5m])
                + delta(in_flight[5m]) + (up{job="strata"} == 0)
                """)).isEmpty();
    }

    @Test
    void reportsMissingSeriesAndLabelsAndMisusedTypes() {
        assertThat(problems("rate(frame_total[5m])")).containsExactly("q: frame_total is not exported");
        assertThat(problems("frames_total{cause=\"x\"}")).containsExactly("q: frames_total has no label cause");
        assertThat(problems("rate(in_flight[5m])")).containsExactly("q: in_flight is a gauge: rate/increase need a counter");
        assertThat(problems("delta(frames_total[5m])")).containsExactly("q: frames_total is a counter: delta/deriv need a gauge");
        assertThat(problems("histogram_quantile(0.9, rate(latency_seconds_count[5m]))"))
                .containsExactly("q: latency_seconds_count under histogram_quantile is not a histogram's _bucket series");
        assertThat(problems("up{pod=\"a\"}")).containsExactly("q: up is a Prometheus series with target labels only");
    }
}
