package dev.strata.processor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.testing.PromQl.Selector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheBucketSeriesInsideAQuantileOfAnAggregatedRate() {
        List<Selector> selectors = PromQl.selectors(
                "histogram_quantile(0.99, sum by (le, instance) (rate(strata_end_to_end_seconds_bucket{job=\"strata\"}[5m])))");

        assertThat(selectors).containsExactly(new Selector("strata_end_to_end_seconds_bucket", Set.of("job"),
                List.of("histogram_quantile", "sum", "rate")));
    }

    @Test
    void tellsMetricsFromKeywordsLabelListsStringsNumbersAndDurations() {
        List<Selector> selectors = PromQl.selectors("""
                sum without (reason) (increase(strata_frames_dead_lettered_total{reason=~"corrupt|empty"}[10m:1m] offset 5m))
                  / on (instance) group_left (model)
                sum(rate(strata_frames_consumed_total[5m])) by (instance) > bool 0.05
                and max_over_time(strata_frames_in_flight[1h]) > 1e3
                or label_replace(strata_ready, "dst", "$1", "instance", "(.*):.*") == 0  # a comment: not_a_metric
                """);

        assertThat(selectors).extracting(Selector::metric).containsExactly("strata_frames_dead_lettered_total",
                "strata_frames_consumed_total", "strata_frames_in_flight", "strata_ready");
        assertThat(selectors.get(0).labels()).containsExactly("reason");
        assertThat(selectors.get(2).functions()).containsExactly("max_over_time");
        assertThat(selectors.get(3).functions()).containsExactly("label_replace");
    }

    @Test
    void readsSelectorsByNameLabelAndGrafanaQueries() {
        assertThat(PromQl.selectors("{__name__=\"strata_live\", instance=\"a\"}"))
                .containsExactly(new Selector("strata_live", Set.of("instance"), List.of()));
        assertThat(PromQl.grafanaSelectors("label_values(strata_frames_consumed_total{model=\"x\"}, instance)"))
                .containsExactly(new Selector("strata_frames_consumed_total", Set.of("model"), List.of()));
        assertThat(PromQl.grafanaSelectors("rate(strata_inference_errors_total[$__rate_interval])"))
                .containsExactly(new Selector("strata_inference_errors_total", Set.of(), List.of("rate")));
    }

    @Test
    void failsOnWhatItCannotRead() {
        assertThatThrownBy(() -> PromQl.selectors("rat(strata_ready[5m])")).hasMessageContaining("unknown PromQL function rat");
        assertThatThrownBy(() -> PromQl.selectors("sum(strata_ready")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> PromQl.selectors("strata_ready{instance=~$instance}"))
                .hasMessageContaining("Grafana variable");
        assertThatThrownBy(() -> PromQl.selectors("strata_ready{instance}")).hasMessageContaining("label matcher");
    }
}
