package dev.strata.processor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic the bench reports rests on. */
class BenchAnalysisTest {

    @Test
    void percentilesUseTheNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[99 - i] = i + 1;
        }
        Stats.Percentiles p = Stats.Percentiles.of(values);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p95()).isEqualTo(95);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.mean()).isEqualTo(50.5);
        assertThat(Stats.Percentiles.of(new double[] {7}).p99()).isEqualTo(7);
    }

    @Test
    void spreadIsTheSampleStandardDeviation() {
        Stats.Spread s = Stats.Spread.of(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertThat(s.mean()).isEqualTo(5);
        assertThat(s.stddev()).isCloseTo(2.138, org.assertj.core.data.Offset.offset(0.001));
        assertThat(s.min()).isEqualTo(2);
        assertThat(s.max()).isEqualTo(9);
    }

    @Test
    void settingsParseAsSizeSlashDelay() {
        assertThat(RunSpec.parse("16/40ms")).isEqualTo(new RunSpec(false, 16, Duration.ofMillis(40)));
        assertThat(RunSpec.parse("32/80ms").maxInFlight()).isEqualTo(128);
        assertThatThrownBy(() -> RunSpec.parse("8")).hasMessageContaining("8/20ms");
        assertThatThrownBy(() -> RunSpec.parse("0/20ms")).hasMessageContaining("positive");
    }

    @Test
    void soakGrowthIsMeasuredAfterWarmUp() {
        // Memory rises during the first fifth (warm-up), then stays within a few MiB.
        List<MemorySample> flat = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            double rss = i < 20 ? 300 + 5 * i : 400 + (i % 3);
            flat.add(new MemorySample(i, i * 1000L, rss, 50, -1, 100, 200, 1));
        }
        Soak.Result steady = Soak.result(RunSpec.parse("8/20ms"), 100_000, 100, Map.of(), flat);
        assertThat(steady.flat()).isTrue();
        assertThat(steady.rssAnonGrowthMiB()).isLessThan(3);
        assertThat(steady.nmtGrowthMiB()).isNaN();

        // A leak of 1 KiB per frame: 100 MiB per 100k frames.
        List<MemorySample> leaking = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            leaking.add(new MemorySample(i, i * 1000L, 400 + i * 1000 / 1024.0, 50, 600 + i, 100, 200, 1));
        }
        Soak.Result leak = Soak.result(RunSpec.parse("8/20ms"), 100_000, 100, Map.of(), leaking);
        assertThat(leak.flat()).isFalse();
        assertThat(leak.rssAnonSlopeMiBPer100k()).isCloseTo(97.66, org.assertj.core.data.Offset.offset(0.1));
        assertThat(leak.nmtGrowthMiB()).isEqualTo(80);
        assertThat(leak.heapCommittedGrowthMiB()).isZero();
    }

    @Test
    void threadsAreGroupedByWhatTheyDo() {
        assertThat(ThreadCpu.group("strata-decode-1", "bench3")).isEqualTo("decode");
        assertThat(ThreadCpu.group("strata-inferenc", "bench3")).isEqualTo("inference");
        assertThat(ThreadCpu.group("strata-outputs", "bench3")).isEqualTo("outputs");
        assertThat(ThreadCpu.group(ThreadCpu.ENGINE_STARTER, "bench3")).isEqualTo("onnxruntime-pool");
        assertThat(ThreadCpu.group("bench3-2f1e0c3a", "bench3")).isEqualTo("stream-threads");
        assertThat(ThreadCpu.group("data-plane-kafk", "bench3")).isEqualTo("broker");
        assertThat(ThreadCpu.group("GC Thread#0", "bench3")).isEqualTo("gc");
        assertThat(ThreadCpu.group("bench-reader", "bench3")).isEqualTo("bench-load");
    }
}
