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
        checkMaxBlock(batch, kafka);
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
     * A stream thread blocked in process() is not polling; the consumer leaves the group after
     * max.poll.interval.ms, and Kafka Streams polls again only after half of it.
     */
    private static void checkMaxBlock(BatchSettings batch, KafkaSettings kafka) {
        Duration worst = batch.maxBlock().plus(batch.maxDelay()).plus(batch.inferenceBudget());
        if (worst.compareTo(kafka.maxPollInterval().dividedBy(2)) >= 0) {
            throw new InvalidConfigException("Invalid settings: strata.batch.max-block (" + ms(batch.maxBlock())
                    + ") + strata.batch.max-delay (" + ms(batch.maxDelay()) + ") + strata.batch.inference-budget ("
                    + ms(batch.inferenceBudget()) + ") = " + ms(worst) + " must stay under half of the consumer's "
                    + "max.poll.interval.ms under strata.kafka (" + ms(kafka.maxPollInterval()) + "), or a waiting "
                    + "stream thread is thrown out of its consumer group; lower max-block or raise max.poll.interval.ms");
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
