package dev.strata.processor.config;

import dev.strata.processor.frame.FrameLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The processor's whole configuration, read and checked once at start-up (see reference.conf
 * for every setting, its default and the environment-variable scheme).
 */
public record StrataConfig(
        KafkaSettings kafka,
        Topics topics,
        BatchSettings batch,
        ModelSettings model,
        FrameLimits frame,
        OutputSettings output,
        EventSettings events,
        HttpSettings http) {

    /** Environment variable naming the user's file when none is given on the command line. */
    public static final String CONFIG_FILE_ENV = "STRATA_CONFIG";

    /**
     * Room a record needs beyond the frame's bytes: key, headers (dead-letter headers included)
     * and record framing.
     */
    private static final int RECORD_HEADROOM_BYTES = 64 * 1024;

    /**
     * Loads reference.conf, the user's file and the process environment.
     *
     * @param file the user's file; empty: {@code STRATA_CONFIG} if set, else defaults only
     * @throws InvalidConfigException naming the first bad setting
     */
    public static StrataConfig load(Optional<Path> file) {
        return load(file, System.getenv());
    }

    /** As {@link #load(Optional)}, with the environment given explicitly. */
    public static StrataConfig load(Optional<Path> file, Map<String, String> env) {
        ConfigLoader.Loaded loaded = ConfigLoader.load(file, env);
        Settings s = new Settings(loaded.config());
        KafkaSettings kafka = KafkaSettings.parse(loaded.kafka());
        BatchSettings batch = BatchSettings.parse(s);
        FrameLimits frame = frameLimits(s);
        checkSlowModelBound(batch, kafka);
        checkRecordSizes(s, frame, kafka);
        return new StrataConfig(
                kafka,
                Topics.parse(s),
                batch,
                ModelSettings.parse(s, batch.size()),
                frame,
                OutputSettings.parse(s),
                EventSettings.parse(s),
                HttpSettings.parse(s));
    }

    private static FrameLimits frameLimits(Settings s) {
        return new FrameLimits(
                (int) s.bytesBetween("strata.frame.max-bytes", 1, Integer.MAX_VALUE - RECORD_HEADROOM_BYTES),
                // Decoded pixels live in one byte array of width x height x 3.
                s.longBetween("strata.frame.max-pixels", 1, Integer.MAX_VALUE / 3),
                s.intBetween("strata.frame.max-side", 1, 65_535));
    }

    /**
     * The slow-model bound. A stream thread blocks in process() only while it waits for an
     * in-flight slot, at most max-block (then InferenceStalledException). A slot frees when a
     * batch completes. The slots are full only when at least a batch's worth of frames is in
     * flight (max-in-flight &ge; size), so a full batch is ready and max-delay plays no part: a
     * slot frees within inference-budget (decoding included) while the engine keeps its budget.
     * <ul>
     *   <li>inference-budget &le; max-block: a model within its budget never looks stalled.
     *   <li>max-block &lt; max.poll.interval.ms / 2: Kafka Streams polls again once half the interval
     *       has passed, but checks only between records, so one more wait must fit in the other half.
     *   <li>exactly_once_v2: max-block + commit.interval.ms &lt; transaction.timeout.ms, because the
     *       task's transaction stays open while its thread waits.
     * </ul>
     */
    private static void checkSlowModelBound(BatchSettings batch, KafkaSettings kafka) {
        if (batch.maxBlock().compareTo(batch.inferenceBudget()) < 0) {
            throw new InvalidConfigException("Invalid settings: strata.batch.max-block (" + ms(batch.maxBlock())
                    + ") must be at least strata.batch.inference-budget (" + ms(batch.inferenceBudget())
                    + "): a stream thread waiting for an in-flight slot gives up after max-block, and a slot can "
                    + "take that long to free while a batch within its budget runs; raise max-block or lower "
                    + "inference-budget");
        }
        Duration halfPoll = kafka.maxPollInterval().dividedBy(2);
        if (batch.maxBlock().compareTo(halfPoll) >= 0) {
            throw new InvalidConfigException("Invalid settings: strata.batch.max-block (" + ms(batch.maxBlock())
                    + ") must stay under half of max.poll.interval.ms under strata.kafka ("
                    + ms(kafka.maxPollInterval()) + "): Kafka Streams polls again once half of it has passed, but "
                    + "only between records, so a stream thread still waiting for an in-flight slot would be thrown "
                    + "out of its consumer group; lower max-block and inference-budget or raise max.poll.interval.ms");
        }
        if (kafka.processingGuarantee() == ProcessingGuarantee.EXACTLY_ONCE_V2) {
            Duration open = batch.maxBlock().plus(kafka.commitInterval());
            if (open.compareTo(kafka.transactionTimeout()) >= 0) {
                throw new InvalidConfigException("Invalid settings: strata.batch.max-block (" + ms(batch.maxBlock())
                        + ") + commit.interval.ms (" + ms(kafka.commitInterval()) + ") = " + ms(open)
                        + " must stay under the producer's transaction.timeout.ms under strata.kafka ("
                        + ms(kafka.transactionTimeout()) + ") with exactly_once_v2: a task's transaction stays open "
                        + "while its stream thread waits for an in-flight slot, and the broker aborts it after "
                        + "transaction.timeout.ms; raise strata.kafka.producer.transaction.timeout.ms or lower max-block");
            }
        }
    }

    /** Dead letters and the changelog of pending frames carry a whole frame in one record. */
    private static void checkRecordSizes(Settings s, FrameLimits frame, KafkaSettings kafka) {
        long needed = (long) frame.maxBytes() + RECORD_HEADROOM_BYTES;
        if (kafka.producerMaxRequestSize() < needed) {
            throw s.invalid("strata.frame.max-bytes", "a frame of that size does not fit the producer's max.request.size"
                    + " under strata.kafka (" + kafka.producerMaxRequestSize() + " bytes); it needs " + needed
                    + " bytes (frame + " + RECORD_HEADROOM_BYTES + " for key and headers)");
        }
        kafka.internalTopicMaxMessageBytes().ifPresent(limit -> {
            if (limit < needed) {
                throw s.invalid("strata.frame.max-bytes", "a frame of that size does not fit strata.kafka."
                        + "topic.max.message.bytes (" + limit + " bytes), the limit of the internal topics; it needs "
                        + needed + " bytes");
            }
        });
    }

    private static String ms(Duration d) {
        return d.toMillis() + " ms";
    }
}
