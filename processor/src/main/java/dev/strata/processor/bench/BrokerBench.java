package dev.strata.processor.bench;

import dev.strata.processor.StrataApp;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.output.LabelRecord;
import dev.strata.processor.output.LabelRecordSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Strata, or the per-record peer, against the in-process broker: encoded JPEG frames in, labels and
 * features out. Each configuration gets fresh topics and its own application id, and is measured in
 * three phases:
 *
 * <ol>
 *   <li>warm-up: bursts of a few batches' worth of frames, each until all are labelled, for at least
 *       the warm-up time, twice that for the first run (JIT compilation, first fetches, allocator and
 *       engine caches);</li>
 *   <li>saturated: processing is paused, {@code frames} frames are written to the topic as fast as
 *       the producer goes, then processing resumes and the clock runs until the last label has been
 *       consumed. The producer's own CPU is thus kept out of the measurement; every frame is waiting,
 *       so the figure is the completion rate, and latencies in this phase are queueing only;</li>
 *   <li>latency: frames are offered at a fixed rate below saturation and each frame's end-to-end
 *       latency is taken from its scheduled send time to the moment the reader's poll returned its
 *       label record ({@link LabelReader}); the label's own {@code endToEndMs} (capture-ts to the
 *       record being produced, in whole milliseconds) is reported alongside as "publish".</li>
 * </ol>
 *
 * <p>A saturated or latency phase during which other processes used more CPU than {@link QuietGuard}
 * allows is measured again with fresh frames.
 */
final class BrokerBench {

    /** Where a configuration ran and what it needs. */
    record Setup(EmbeddedKafka kafka, Path workDir, Optional<Path> configFile, Map<String, String> baseEnv,
                 FrameSet frames, int partitions, int saturatedFrames, Duration warmup, double latencySeconds,
                 Duration timeout, boolean profile, QuietGuard quiet) {
    }

    /**
     * The saturated phase.
     *
     * @param framesPerSecond      completions per second between the 10th and the 90th percentile of
     *                             label arrivals (the steady state, without the ramp at either end)
     * @param overallFramesPerSecond frames over the time from resuming to the last label
     * @param meanBatchSize        mean batch a frame was inferred in
     * @param inferenceMsPerBatch  mean engine time of a batch, as Strata timed it
     * @param cpuSeconds           CPU by thread group over the phase, and its wall time
     * @param framesPerCpuSecond   frames per second of CPU time used by this process (the bench's own
     *                             producer and reader excepted; the in-process broker included)
     * @param foreignCpus          CPUs' worth of time other processes used during the phase
     * @param profile              the phase's JFR profile; null unless asked for
     */
    record Saturated(int frames, double seconds, double framesPerSecond, double overallFramesPerSecond,
                     double meanBatchSize, double preprocessMs, double queueMs, double inferenceMsPerBatch,
                     double labelBytesPerFrame, Map<String, Double> cpuSeconds, double framesPerCpuSecond,
                     double foreignCpus, JfrProfile.Summary profile) {
    }

    /**
     * The fixed-rate phase; latencies in milliseconds.
     *
     * @param endToEnd scheduled send to the label's consumption by a reader
     * @param publish  capture-ts to the label record being produced (whole milliseconds)
     * @param meanMs   where the time went on average, from the labels' own timings: preprocess (decode
     *                 included), queue (preprocessed to batch start), inference (the batch), before
     *                 (capture to submission: frames topic and stream thread) + after (completion to
     *                 publication: the drain punctuator) as publish minus the other three
     */
    record Latency(double offeredFramesPerSecond, double achievedFramesPerSecond, int frames,
                   Stats.Percentiles endToEnd, Stats.Percentiles publish, double meanBatchSize,
                   Map<String, Double> meanMs, double foreignCpus) {
    }

    /** One configuration's figures; {@code features} counts the feature records of all phases. */
    record Result(String name, boolean peer, int batchSize, long maxDelayMs, int maxInFlight, int partitions,
                  Saturated saturated, Latency latency, long labels, long features, double featureBytesPerFrame,
                  List<String> problems) {
    }

    private final Setup setup;
    private final BenchLog log;
    private int runs;

    BrokerBench(Setup setup, BenchLog log) {
        this.setup = setup;
        this.log = log;
    }

    /** The Strata configuration of one run: the bench's topics, model and batch settings. */
    StrataConfig config(RunSpec spec, String appId, String topicPrefix) {
        Map<String, String> env = new HashMap<>(setup.baseEnv());
        env.put("STRATA_KAFKA_BOOTSTRAP_SERVERS", setup.kafka().bootstrapServers());
        env.put("STRATA_KAFKA_APPLICATION_ID", appId);
        env.put("STRATA_KAFKA_STATE_DIR", setup.workDir().resolve("state-" + appId).toString());
        for (String topic : List.of("frames", "labels", "features", "dlq", "events")) {
            env.put("STRATA_TOPICS_" + topic.toUpperCase(java.util.Locale.ROOT), topicPrefix + topic);
        }
        env.put("STRATA_BATCH_SIZE", Integer.toString(spec.batchSize()));
        env.put("STRATA_BATCH_MAX_DELAY", Math.max(1, spec.maxDelay().toMillis()) + "ms");
        env.put("STRATA_BATCH_MAX_IN_FLIGHT", Integer.toString(spec.maxInFlight()));
        env.put("STRATA_HTTP_PORT", "0");
        return StrataConfig.load(setup.configFile(), env);
    }

    /**
     * Measures one configuration.
     *
     * @param rate frames per second for the latency phase; empty: half of this run's saturated rate
     */
    Result run(RunSpec spec, Optional<Double> rate) throws Exception {
        int index = ++runs;
        String appId = "bench" + index;
        String prefix = "b" + index + ".";
        StrataConfig config = config(spec, appId, prefix);
        setup.kafka().createTopics(setup.partitions(), List.of(config.topics().frames(), config.topics().labels(),
                config.topics().features(), config.topics().dlq(), config.topics().events()));
        boolean features = config.output().features().enabled();
        int warmupBurst = Math.max(32, 4 * spec.batchSize());
        int saturatedFrames = setup.saturatedFrames();
        List<String> problems = new ArrayList<>();
        log.line(spec.name() + ": starting (application " + appId + ")");
        try (LabelReader reader = new LabelReader(setup.kafka(), config.topics().labels(),
                config.topics().features(), setup.partitions(), true);
             FrameProducer producer = new FrameProducer(setup.kafka(), config.topics().frames(), setup.partitions(),
                     setup.frames())) {
            Target target = NamedThread.call(ThreadCpu.ENGINE_STARTER, () -> start(spec, config));
            int warmup = 0;
            long sent;
            Saturated saturated;
            FrameProducer.Paced latencySent;
            String latencyPhase;
            double offered;
            double latencyForeign;
            try {
                awaitRunning(target.streams(), setup.timeout());
                // The first run also warms up the code every run shares (broker, Kafka clients): twice as long.
                // With --profile it also records, discarding the recording, so that JFR's own start-up
                // (class loading and compilation of the recorder) is not charged to the first measurement.
                long warmupEnd = System.nanoTime() + setup.warmup().toNanos() * (index == 1 ? 2 : 1);
                JfrProfile warmupProfile = setup.profile() && index == 1
                        ? JfrProfile.start(setup.workDir().resolve(appId + "-warmup.jfr")) : null;
                do {
                    producer.burst("w" + warmup / warmupBurst, warmupBurst);
                    warmup += warmupBurst;
                    reader.awaitLabels(warmup, setup.timeout());
                } while (System.nanoTime() < warmupEnd);
                if (warmupProfile != null) {
                    warmupProfile.stop();
                    warmupProfile.close();
                }
                log.line(spec.name() + ": warmed up with " + warmup + " frames");

                sent = warmup;
                for (int attempt = 0; ; attempt++) {
                    String phase = "s" + attempt;
                    target.streams().pause();
                    producer.burst(phase, saturatedFrames);
                    sent += saturatedFrames;
                    ThreadCpu cpuStart = ThreadCpu.snapshot();
                    MachineLoad loadStart = MachineLoad.snapshot();
                    JfrProfile profile = setup.profile()
                            ? JfrProfile.start(setup.workDir().resolve(appId + "-" + phase + ".jfr")) : null;
                    long resumed = System.nanoTime();
                    target.streams().resume();
                    reader.awaitLabels(sent, setup.timeout());
                    long done = System.nanoTime();
                    Map<String, Double> cpu = ThreadCpu.snapshot().since(cpuStart, appId);
                    double foreign = MachineLoad.snapshot().foreignCpusSince(loadStart);
                    JfrProfile.Summary summary = null;
                    if (profile != null) {
                        summary = profile.stop();
                        profile.close();
                    }
                    saturated = saturated(reader.labels(), phase + "-", saturatedFrames, resumed, done, cpu, foreign,
                            summary, reader.labelBytes());
                    log.line(String.format("%s: saturated %.1f frames/s (mean batch %.1f; other processes %.2f CPUs)",
                            spec.name(), saturated.framesPerSecond(), saturated.meanBatchSize(), foreign));
                    if (!setup.quiet().retry(foreign, attempt)) {
                        break;
                    }
                    setup.quiet().pause(log, spec.name() + " saturated", foreign);
                }

                offered = rate.orElse(saturated.framesPerSecond() / 2);
                int latencyFrames = (int) Math.max(20, Math.round(offered * setup.latencySeconds()));
                for (int attempt = 0; ; attempt++) {
                    latencyPhase = "l" + attempt;
                    MachineLoad latencyLoad = MachineLoad.snapshot();
                    latencySent = producer.paced(latencyPhase, latencyFrames, offered);
                    sent += latencyFrames;
                    reader.awaitLabels(sent, setup.timeout());
                    latencyForeign = MachineLoad.snapshot().foreignCpusSince(latencyLoad);
                    if (!setup.quiet().retry(latencyForeign, attempt)) {
                        break;
                    }
                    setup.quiet().pause(log, spec.name() + " latency", latencyForeign);
                }
                if (features) {
                    reader.awaitFeatures(sent, Duration.ofSeconds(30));
                }
            } finally {
                target.close();
            }
            List<LabelReader.Arrival> arrivals = reader.labels();
            Latency latency = latency(arrivals, latencyPhase + "-", latencySent, offered, latencyForeign);
            long expected = sent;
            checkOnce(arrivals, expected, problems);
            if (saturated.foreignCpus() > setup.quiet().maxForeignCpus()
                    || latencyForeign > setup.quiet().maxForeignCpus()) {
                problems.add(String.format("other processes used %.2f CPUs while saturated and %.2f during the latency "
                        + "run, above the limit of %.2f even after %d retries", saturated.foreignCpus(), latencyForeign,
                        setup.quiet().maxForeignCpus(), setup.quiet().retries()));
            }
            if (features && reader.featureCount() != expected) {
                problems.add(reader.featureCount() + " feature records for " + expected + " frames");
            }
            if (offered > 0.9 * saturated.framesPerSecond()) {
                problems.add(String.format("the offered rate %.1f frames/s is at or above 90%% of this configuration's "
                        + "saturated rate (%.1f): its latencies are mostly queueing", offered,
                        saturated.framesPerSecond()));
            }
            if (latency.achievedFramesPerSecond() < 0.95 * offered) {
                problems.add(String.format("the offered rate %.1f frames/s was not reached (%.1f)", offered,
                        latency.achievedFramesPerSecond()));
            }
            log.line(String.format("%s: at %.1f frames/s, end-to-end p50 %.1f p99 %.1f ms", spec.name(), offered,
                    latency.endToEnd().p50(), latency.endToEnd().p99()));
            return new Result(spec.name(), spec.peer(), spec.batchSize(), spec.maxDelay().toMillis(),
                    spec.peer() ? 1 : spec.maxInFlight(), setup.partitions(), saturated, latency,
                    reader.labelCount(), reader.featureCount(),
                    reader.featureCount() == 0 ? 0 : reader.featureBytes() / (double) reader.featureCount(),
                    problems);
        }
    }

    /** Strata or the peer, as one handle. */
    interface Target extends AutoCloseable {
        KafkaStreams streams();

        @Override
        void close();
    }

    private static Target start(RunSpec spec, StrataConfig config) {
        if (spec.peer()) {
            PerRecordPeer peer = PerRecordPeer.start(config);
            return new Target() {
                public KafkaStreams streams() {
                    return peer.streams();
                }

                public void close() {
                    peer.close();
                }
            };
        }
        StrataApp app = StrataApp.start(config);
        return new Target() {
            public KafkaStreams streams() {
                return app.streams();
            }

            public void close() {
                app.close();
            }
        };
    }

    static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new TimeoutException("Kafka Streams is " + streams.state() + " after " + timeout.toSeconds()
                        + " s, not RUNNING");
            }
            Thread.sleep(20);
        }
    }

    private static final Deserializer<LabelRecord> LABELS = new LabelRecordSerde().deserializer();

    private static LabelRecord parse(LabelReader.Arrival arrival) {
        return LABELS.deserialize("labels", arrival.value());
    }

    private static Saturated saturated(List<LabelReader.Arrival> arrivals, String phase, int frames, long resumed,
                                       long done, Map<String, Double> cpu, double foreign,
                                       JfrProfile.Summary profile, long labelBytes) {
        List<Long> times = new ArrayList<>();
        double batch = 0;
        double preprocess = 0;
        double queue = 0;
        double inferencePerBatch = 0;
        for (LabelReader.Arrival arrival : arrivals) {
            LabelRecord record = parse(arrival);
            if (!record.frameId().startsWith(phase)) {
                continue;
            }
            times.add(arrival.nanos());
            batch += record.batchSize();
            preprocess += record.timings().preprocessMs();
            queue += record.timings().queueMs();
            inferencePerBatch += record.timings().inferenceMs();
        }
        int n = times.size();
        times.sort(null);
        int from = (int) (0.1 * n);
        int to = Math.max(from + 1, (int) (0.9 * n) - 1);
        double steady = n < 10 ? n / ((done - resumed) / 1e9)
                : (to - from) / ((times.get(to) - times.get(from)) / 1e9);
        double seconds = (done - resumed) / 1e9;
        return new Saturated(frames, seconds, steady, n / seconds, batch / n, preprocess / n, queue / n,
                inferencePerBatch / n, labelBytes / (double) arrivals.size(), cpu, n / ThreadCpu.busySeconds(cpu),
                foreign, profile);
    }

    private static Latency latency(List<LabelReader.Arrival> arrivals, String phase, FrameProducer.Paced paced,
                                   double offered, double foreign) {
        List<Double> endToEnd = new ArrayList<>();
        List<Double> publish = new ArrayList<>();
        double batch = 0;
        double preprocess = 0;
        double queue = 0;
        double inference = 0;
        for (LabelReader.Arrival arrival : arrivals) {
            LabelRecord record = parse(arrival);
            if (!record.frameId().startsWith(phase)) {
                continue;
            }
            int index = Integer.parseInt(record.frameId().substring(phase.length()));
            endToEnd.add((arrival.nanos() - paced.scheduled()[index]) / 1e6);
            publish.add(record.timings().endToEndMs());
            batch += record.batchSize();
            preprocess += record.timings().preprocessMs();
            queue += record.timings().queueMs();
            inference += record.timings().inferenceMs();
        }
        int n = Math.max(1, endToEnd.size());
        double publishMean = publish.stream().mapToDouble(Double::doubleValue).sum() / n;
        Map<String, Double> meanMs = new java.util.LinkedHashMap<>();
        meanMs.put("preprocess", preprocess / n);
        meanMs.put("queue", queue / n);
        meanMs.put("inference", inference / n);
        meanMs.put("kafka in + drain", publishMean - (preprocess + queue + inference) / n);
        meanMs.put("publish to consumed", endToEnd.stream().mapToDouble(Double::doubleValue).sum() / n - publishMean);
        long[] sent = paced.sent();
        double achieved = sent.length < 2 ? offered : (sent.length - 1) / ((sent[sent.length - 1] - sent[0]) / 1e9);
        return new Latency(offered, achieved, endToEnd.size(),
                Stats.Percentiles.of(endToEnd.stream().mapToDouble(Double::doubleValue).toArray()),
                Stats.Percentiles.of(publish.stream().mapToDouble(Double::doubleValue).toArray()),
                endToEnd.isEmpty() ? 0 : batch / endToEnd.size(), meanMs, foreign);
    }

    /** Every frame labelled exactly once. */
    private static void checkOnce(List<LabelReader.Arrival> arrivals, long expected, List<String> problems) {
        long distinct = arrivals.stream().map(a -> parse(a).frameId()).distinct().count();
        if (distinct != expected || arrivals.size() != expected) {
            problems.add(arrivals.size() + " labels (" + distinct + " distinct frames) for " + expected + " frames");
        }
    }
}
