package dev.strata.processor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.testing.PrometheusText.Scrape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String VALID = """
            # HELP req_seconds Request time "quoted" \\\\ and a \\n line
            # TYPE req_seconds histogram
            req_seconds_bucket{path="/a",le="0.1"} 1.0
            req_seconds_bucket{path="/a",le="+Inf"} 3.0
            req_seconds_count{path="/a"} 3.0
            req_seconds_sum{path="/a"} 0.7
            # TYPE frames_total counter
            frames_total{reason="a \\"b\\"\\\\c\\nd",} 2.0 1700000000000
            # TYPE up gauge
            up NaN
            """;

    @Test
    void parsesFamiliesTypesLabelsAndEscapes() {
        Scrape scrape = PrometheusText.parse(VALID);

        assertThat(scrape.families().keySet()).containsExactly("req_seconds", "frames_total", "up");
        assertThat(scrape.families().get("req_seconds").type()).isEqualTo("histogram");
        assertThat(scrape.families().get("req_seconds").help()).isEqualTo("Request time \"quoted\" \\ and a \n line");
        assertThat(scrape.value("req_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(3.0);
        assertThat(scrape.samples("frames_total").get(0).labels()).containsEntry("reason", "a \"b\"\\c\nd");
        assertThat(scrape.familyOfSample("req_seconds_sum")).map(PrometheusText.Family::name).hasValue("req_seconds");
        assertThat(scrape.value("up")).isNaN();
    }

    @Test
    void rejectsWhatPrometheusWouldReject() {
        assertThatThrownBy(() -> PrometheusText.parse("up 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusText.parse("1up 1\n")).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=b} 1\n")).hasMessageContaining("not quoted");
        assertThatThrownBy(() -> PrometheusText.parse("up{a=\"\\x\"} 1\n")).hasMessageContaining("invalid escape");
        assertThatThrownBy(() -> PrometheusText.parse("up one\n")).hasMessageContaining("invalid value");
        assertThatThrownBy(() -> PrometheusText.parse("up 1\nup 2\n")).hasMessageContaining("duplicate series");
        assertThatThrownBy(() -> PrometheusText.parse("a 1\nb 1\na{x=\"1\"} 1\n")).hasMessageContaining("one group");
        assertThatThrownBy(() -> PrometheusText.parse("up 1\n# TYPE up gauge\n")).hasMessageContaining("after its samples");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE up meter\nup 1\n")).hasMessageContaining("unknown type");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 2
                h_bucket{le="+Inf"} 1
                h_count 1
                """)).hasMessageContaining("not cumulative");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_count 1
                """)).hasMessageContaining("+Inf bucket");
    }
}
