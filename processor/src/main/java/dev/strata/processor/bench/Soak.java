package dev.strata.processor.bench;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.demo.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A long run through Strata with the process's memory sampled on a fixed period: resident
 * anonymous memory (heap, JVM and native libraries alike), the JVM's native memory tracking total,
 * heap and direct buffers. The frames are sent keeping a bounded number ahead of the labels, so the
 * processor runs at its own pace without an ever longer backlog on the broker.
 */
final class Soak {

    /**
     * Memory over the run and how much it grew after warm-up.
     *
     * @param warmupFrames         samples before this many labelled frames are warm-up
     * @param rssAnonGrowthMiB     last minus first resident anonymous memory after warm-up
     * @param rssAnonSlopeMiBPer100k least-squares slope of resident anonymous memory after warm-up
     * @param nmtGrowthMiB         the same for the JVM's tracked native memory (NaN without NMT)
     * @param heapCommittedGrowthMiB the same for the Java heap's committed size: RSS growth that is the
     *                             heap expanding, not a leak (none when -Xms equals -Xmx)
     * @param flat                 growth after warm-up under {@link #FLAT_MIB} MiB and slope under
     *                             {@link #FLAT_MIB} MiB per 100k frames (shrinking counts as flat)
     */
    record Result(String setting, int frames, double seconds, double framesPerSecond, int warmupFrames,
                  double rssAnonGrowthMiB, double rssAnonSlopeMiBPer100k, double nmtGrowthMiB,
                  double heapCommittedGrowthMiB, double heapUsedMaxMiB, boolean flat, Map<String, Double> cpuSeconds,
                  List<MemorySample> samples) {
    }

    /** Growth below this (MiB, or MiB per 100k frames) is noise: allocator arenas, JIT code, GC sizing. */
    static final double FLAT_MIB = 16;

    private final EmbeddedKafka kafka;
    private final BenchLog log;

    Soak(EmbeddedKafka kafka, BenchLog log) {
        this.kafka = kafka;
        this.log = log;
    }

    Result run(BrokerBench bench, RunSpec spec, FrameSet frameSet, int partitions, int frames,
               Duration samplePeriod, Duration timeout) throws Exception {
        String appId = "soak";
        StrataConfig config = bench.config(spec, appId, "soak.");
        createTopics(config, partitions);
        int window = Math.max(256, 4 * spec.maxInFlight());
        List<MemorySample> samples = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try (LabelReader reader = new LabelReader(kafka, config.topics().labels(), config.topics().features(),
                partitions, false);
             FrameProducer producer = new FrameProducer(kafka, config.topics().frames(), partitions, frameSet)) {
            StrataApp app = NamedThread.call(ThreadCpu.ENGINE_STARTER, () -> StrataApp.start(config));
            long start;
            long end;
            Map<String, Double> cpu;
            List<MemorySample> taken;
            try {
                BrokerBench.awaitRunning(app.streams(), timeout);
                ThreadCpu cpuStart = ThreadCpu.snapshot();
                start = System.nanoTime();
                sampler.scheduleAtFixedRate(() -> {
                    MemorySample sample = MemorySample.take((System.nanoTime() - start) / 1e9, reader.labelCount());
                    synchronized (samples) {
                        samples.add(sample);
                    }
                }, 0, samplePeriod.toMillis(), TimeUnit.MILLISECONDS);
                long nextLog = 0;
                for (int i = 0; i < frames; i++) {
                    if (i >= window) {
                        reader.awaitLabels(i - window + 1, timeout);
                    }
                    producer.send("k", i);
                    if (i >= nextLog) {
                        log.line("soak: " + i + " frames sent, " + reader.labelCount() + " labelled");
                        nextLog += frames / 10;
                    }
                }
                reader.awaitLabels(frames, timeout);
                end = System.nanoTime();
                cpu = ThreadCpu.snapshot().since(cpuStart, appId);
                sampler.shutdown();
                if (!sampler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the memory sampler did not stop");
                }
                // The last sample with the processor still running: closing it frees memory.
                synchronized (samples) {
                    samples.add(MemorySample.take((end - start) / 1e9, reader.labelCount()));
                    taken = List.copyOf(samples);
                }
            } finally {
                sampler.shutdownNow();
                app.close();
            }
            return result(spec, frames, (end - start) / 1e9, cpu, taken);
        }
    }

    private void createTopics(StrataConfig config, int partitions) throws Exception {
        // Short segments and a byte cap keep a 100k-frame run from filling the disk.
        Map<String, String> bounded = Map.of("segment.bytes", Integer.toString(16 << 20),
                "retention.bytes", Integer.toString(64 << 20));
        try (Admin admin = kafka.admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : List.of(config.topics().frames(), config.topics().labels(),
                    config.topics().features(), config.topics().dlq(), config.topics().events())) {
                topics.add(new NewTopic(topic, partitions, (short) 1).configs(bounded));
            }
            admin.createTopics(topics).all().get();
        }
    }

    static Result result(RunSpec spec, int frames, double seconds, Map<String, Double> cpu,
                         List<MemorySample> samples) {
        int warmupFrames = frames / 5;
        List<MemorySample> after = samples.stream().filter(s -> s.frames() >= warmupFrames).toList();
        if (after.size() < 2) {
            after = samples;
        }
        MemorySample first = after.get(0);
        MemorySample last = after.get(after.size() - 1);
        double growth = last.rssAnon() - first.rssAnon();
        double slope = slopePer100k(after);
        double nmtGrowth = first.nmtCommitted() < 0 ? Double.NaN : last.nmtCommitted() - first.nmtCommitted();
        double heapMax = samples.stream().mapToDouble(MemorySample::heapUsed).max().orElse(Double.NaN);
        boolean flat = growth < FLAT_MIB && slope < FLAT_MIB;
        return new Result(spec.name(), frames, seconds, frames / seconds, warmupFrames, growth, slope, nmtGrowth,
                last.heapCommitted() - first.heapCommitted(), heapMax, flat, cpu, samples);
    }

    private static double slopePer100k(List<MemorySample> samples) {
        double n = samples.size();
        double meanX = samples.stream().mapToDouble(MemorySample::frames).sum() / n;
        double meanY = samples.stream().mapToDouble(MemorySample::rssAnon).sum() / n;
        double num = 0;
        double den = 0;
        for (MemorySample s : samples) {
            num += (s.frames() - meanX) * (s.rssAnon() - meanY);
            den += (s.frames() - meanX) * (s.frames() - meanX);
        }
        return den == 0 ? 0 : num / den * 100_000;
    }
}
