package dev.strata.processor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.processor.frame.ContentType;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.FrameRejectedException;
import dev.strata.processor.frame.FrameSource;
import dev.strata.processor.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class FramePublisherTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_732_527_000_123L), ZoneOffset.UTC);
    private static final byte[] JPEG = TestImages.encode(TestImages.drawing(16, 16), "jpg");
    private static final byte[] PNG = TestImages.encode(TestImages.drawing(16, 16), "png");

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @Test
    void sendsEveryStreamsFramesWithKeyAndHeadersTheProcessorReads() throws Exception {
        List<FramePublisher.Feed> feeds = List.of(
                new FramePublisher.Feed("cam-1", new Frames(3, new EncodedFrame(JPEG, ContentType.JPEG))),
                new FramePublisher.Feed("cam-2", new Frames(2, new EncodedFrame(PNG, ContentType.PNG))));

        FramePublisher.Progress progress = publish(feeds, new FramePublisher.Pace(0, 0, Optional.empty()));

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(5).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo("frames");
            assertThat(r.timestamp()).isEqualTo(CLOCK.millis());
        });
        List<FrameEnvelope> frames = sent.stream().map(FramePublisherTest::parse).toList();
        assertThat(frames).extracting(f -> f.streamId() + "/" + f.frameId() + "/" + f.contentType())
                .containsExactly("cam-1/0/JPEG", "cam-2/0/PNG", "cam-1/1/JPEG", "cam-2/1/PNG", "cam-1/2/JPEG");
        assertThat(frames).extracting(FrameEnvelope::captureTs).containsOnly(CLOCK.millis());
        assertThat(frames.get(0).value()).isEqualTo(JPEG);
        assertThat(frames.get(1).value()).isEqualTo(PNG);
        assertThat(header(sent.get(1), "content-type")).isEqualTo("image/png");
        assertThat(header(sent.get(0), "capture-ts")).isEqualTo("1732527000123");
        assertThat(progress.sent()).isEqualTo(5);
        assertThat(progress.acknowledged()).isEqualTo(5);
        assertThat(progress.bytes()).isEqualTo(3L * JPEG.length + 2L * PNG.length);
    }

    @Test
    void sendsTheCountOfEachStream() throws Exception {
        List<FramePublisher.Feed> feeds = List.of(
                new FramePublisher.Feed("a", Frames.endless()),
                new FramePublisher.Feed("b", Frames.endless()),
                new FramePublisher.Feed("c", new Frames(2, new EncodedFrame(JPEG, ContentType.JPEG))));

        publish(feeds, new FramePublisher.Pace(0, 4, Optional.empty()));

        Map<String, Long> perStream = producer.history().stream().collect(Collectors.groupingBy(
                r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.counting()));
        assertThat(perStream).containsExactlyInAnyOrderEntriesOf(Map.of("a", 4L, "b", 4L, "c", 2L));
    }

    @Test
    void keepsToTheRate() throws Exception {
        FramePublisher.Progress progress = publish(List.of(new FramePublisher.Feed("cam", Frames.endless())),
                new FramePublisher.Pace(20, 6, Optional.empty()));

        // Six ticks at 20 per second are 5 periods apart: a scheduler never runs them sooner.
        assertThat(progress.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(producer.history()).hasSize(6);
    }

    @Test
    void stopsAfterTheDuration() throws Exception {
        FramePublisher.Progress progress = publish(List.of(new FramePublisher.Feed("cam", Frames.endless())),
                new FramePublisher.Pace(50, 0, Optional.of(Duration.ofMillis(300))));

        assertThat(progress.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // Ticks at 0, 20, ..., 300 ms at most; the one at 300 ms finds the time is up.
        assertThat(producer.history()).hasSizeBetween(1, 15);
    }

    @Test
    void aFrameTheBrokerRefusesEndsPublishingWithTheReason() throws Exception {
        MockProducer<byte[], byte[]> manual =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        try (FramePublisher publisher = new FramePublisher(manual, "frames",
                List.of(new FramePublisher.Feed("cam-1", Frames.endless())),
                new FramePublisher.Pace(100, 0, Optional.empty()), CLOCK)) {
            publisher.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !manual.history().isEmpty());
            manual.errorNext(new RecordTooLargeException("the record is too large"));

            assertThat(publisher.await(Duration.ofSeconds(10))).isTrue();
            assertThat(publisher.failure()).hasValueSatisfying(e -> assertThat(e)
                    .hasMessageContaining("frame 0 of stream cam-1")
                    .hasMessageContaining("topic frames")
                    .hasMessageContaining("the record is too large"));
        }
    }

    @Test
    void stopEndsAnEndlessRunAndClosesTheSources() throws Exception {
        Frames source = Frames.endless();
        FramePublisher publisher = new FramePublisher(producer, "frames", List.of(new FramePublisher.Feed("cam", source)),
                new FramePublisher.Pace(0, 0, Optional.empty()), CLOCK);
        publisher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() > 10);

        publisher.stop();

        assertThat(publisher.await(Duration.ofSeconds(10))).isTrue();
        assertThat(publisher.failure()).isEmpty();
        publisher.close();
        assertThat(source.closed).isTrue();
    }

    private FramePublisher.Progress publish(List<FramePublisher.Feed> feeds, FramePublisher.Pace pace)
            throws InterruptedException {
        try (FramePublisher publisher = new FramePublisher(producer, "frames", feeds, pace, CLOCK)) {
            publisher.start();
            assertThat(publisher.await(Duration.ofSeconds(30))).isTrue();
            assertThat(publisher.failure()).isEmpty();
            return publisher.progress();
        }
    }

    private static FrameEnvelope parse(ProducerRecord<byte[], byte[]> r) {
        try {
            return FrameEnvelope.parse(r.key(), r.value(), r.headers(), new FrameSource("frames", 0, 0), -1,
                    TestImages.LIMITS);
        } catch (FrameRejectedException e) {
            throw new AssertionError("the processor would reject this frame: " + e.getMessage(), e);
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** {@code count} copies of one frame; negative: endless. */
    private static final class Frames implements ImageSource {

        private final EncodedFrame frame;
        private long left;
        private volatile boolean closed;

        Frames(long count, EncodedFrame frame) {
            this.left = count;
            this.frame = frame;
        }

        static Frames endless() {
            return new Frames(-1, new EncodedFrame(JPEG, ContentType.JPEG));
        }

        @Override
        public Optional<EncodedFrame> next() {
            if (left == 0) {
                return Optional.empty();
            }
            left--;
            return Optional.of(frame);
        }

        @Override
        public String describe() {
            return "test frames";
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
