package dev.strata.processor.source;

import dev.strata.processor.frame.FrameHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the frames of one or more streams to the frames topic at a steady rate, as
 * DESIGN.md's Input defines them: key = stream id, value = the encoded image, headers
 * {@code frame-id} (0, 1, 2, ... per stream), {@code capture-ts} (epoch ms when sent, also the
 * record timestamp) and {@code content-type}.
 *
 * <p>Each tick sends one frame of every stream. Ticks come from a scheduler at the target rate;
 * when sending falls behind (a slow source, a full producer buffer) the rate achieved is lower,
 * never a burst of catch-up frames beyond what the scheduler allows. With a rate of 0 frames go
 * as fast as the producer takes them. Publishing ends when every stream has sent its count,
 * the duration has passed, every source has ended, a frame could not be written, or
 * {@link #stop()} is called.
 */
public final class FramePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FramePublisher.class);

    /** The frames of one stream. The publisher closes the source. */
    public record Feed(String streamId, ImageSource source) {

        public Feed {
            Objects.requireNonNull(source, "source");
            if (streamId == null || streamId.isEmpty()) {
                throw new IllegalArgumentException("a stream id must not be empty: it is the record key");
            }
        }
    }

    /**
     * @param fps             frames per second of each stream; 0: as fast as possible
     * @param framesPerStream frames each stream sends; 0: no limit
     * @param duration        how long to publish; empty: no limit
     */
    public record Pace(double fps, long framesPerStream, Optional<Duration> duration) {

        public Pace {
            Objects.requireNonNull(duration, "duration");
            if (!(fps >= 0) || Double.isInfinite(fps)) {
                throw new IllegalArgumentException("fps must be 0 (unpaced) or positive: " + fps);
            }
            if (framesPerStream < 0) {
                throw new IllegalArgumentException("the frame count must be 0 (no limit) or positive: " + framesPerStream);
            }
        }
    }

    /**
     * @param sent         frames handed to the producer
     * @param acknowledged frames the broker has acknowledged
     * @param bytes        record values acknowledged, in bytes
     * @param elapsed      since publishing started
     */
    public record Progress(long sent, long acknowledged, long bytes, Duration elapsed) {

        /** Acknowledged frames per second, all streams together. */
        public double rate() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds > 0 ? acknowledged / seconds : 0;
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final List<Feed> feeds;
    private final Pace pace;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final long[] nextFrameId;
    private final boolean[] ended;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile long startNanos;
    private volatile long endNanos;

    /** @param producer used, not closed: its owner closes it after {@link #close()} */
    public FramePublisher(Producer<byte[], byte[]> producer, String topic, List<Feed> feeds, Pace pace, Clock clock) {
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("nothing to publish: no streams");
        }
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.feeds = List.copyOf(feeds);
        this.pace = Objects.requireNonNull(pace, "pace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextFrameId = new long[feeds.size()];
        this.ended = new boolean[feeds.size()];
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "strata-publisher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Producer settings for frames: whole frames in one request (up to 20 MiB, as the processor's
     * own producer), every replica acknowledging, no compression (JPEG and PNG are compressed
     * already). {@code overrides} win.
     */
    public static Properties producerProperties(String bootstrapServers, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(20 * 1024 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "strata-produce");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(overrides);
        return props;
    }

    /**
     * Fetches the topic's metadata, then starts publishing on the publisher's own thread. Asking
     * first keeps the wait for metadata out of the first frames' latency and rate, and makes a
     * missing topic or unreachable cluster fail here.
     *
     * @throws KafkaException when the topic's metadata cannot be had within {@code max.block.ms}
     */
    public void start() {
        try {
            producer.partitionsFor(topic);
        } catch (KafkaException e) {
            throw new KafkaException("topic " + topic + " is not available: " + e.getMessage()
                    + " (does the topic exist, and is the cluster reachable?)", e);
        }
        startNanos = System.nanoTime();
        if (pace.fps() > 0) {
            long period = Math.max(1, Math.round(1e9 / pace.fps()));
            scheduler.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
        } else {
            scheduler.execute(() -> {
                while (finished.getCount() > 0) {
                    tick();
                }
            });
        }
    }

    /** Waits until publishing has ended; true if it did within {@code timeout}. */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends publishing soon: the frame being sent completes, nothing after it is sent. */
    public void stop() {
        stopRequested = true;
        try {
            scheduler.execute(this::tick); // without waiting for the next tick of a slow rate
        } catch (RejectedExecutionException e) {
            // Publishing has ended already.
        }
    }

    /** Why publishing ended early, if a frame could not be read or written. */
    public Optional<Exception> failure() {
        return Optional.ofNullable(failure.get());
    }

    public Progress progress() {
        long end = finished.getCount() == 0 ? endNanos : System.nanoTime();
        return new Progress(sent.get(), acknowledged.get(), bytes.get(), Duration.ofNanos(end - startNanos));
    }

    /** What each stream publishes, one line per stream. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>(feeds.size());
        for (Feed feed : feeds) {
            lines.add(feed.streamId() + ": " + feed.source().describe());
        }
        return lines;
    }

    /** Stops publishing, waits for the frames already sent to be acknowledged, closes the sources. */
    @Override
    public void close() {
        stop();
        try {
            if (!await(Duration.ofSeconds(30))) {
                log.warn("frame publisher did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        for (Feed feed : feeds) {
            try {
                feed.source().close();
            } catch (IOException e) {
                log.warn("closing the source of stream {}: {}", feed.streamId(), e.getMessage());
            }
        }
    }

    /** One frame of every stream that has not ended. Runs on the publisher thread only. */
    private void tick() {
        if (finished.getCount() == 0) {
            return;
        }
        try {
            if (stopRequested || failure.get() != null || limitReached()) {
                finish();
                return;
            }
            boolean any = false;
            for (int i = 0; i < feeds.size(); i++) {
                if (ended[i] || (pace.framesPerStream() > 0 && nextFrameId[i] >= pace.framesPerStream())) {
                    continue;
                }
                Optional<EncodedFrame> frame = feeds.get(i).source().next();
                if (frame.isEmpty()) {
                    ended[i] = true;
                    continue;
                }
                send(feeds.get(i).streamId(), nextFrameId[i]++, frame.get());
                any = true;
            }
            if (!any || limitReached()) {
                finish();
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
            finish();
        }
    }

    private boolean limitReached() {
        if (pace.duration().isPresent()
                && System.nanoTime() - startNanos >= pace.duration().get().toNanos()) {
            return true;
        }
        if (pace.framesPerStream() == 0) {
            return false;
        }
        for (int i = 0; i < feeds.size(); i++) {
            if (!ended[i] && nextFrameId[i] < pace.framesPerStream()) {
                return false;
            }
        }
        return true;
    }

    private void send(String streamId, long frameId, EncodedFrame frame) {
        long captureTs = clock.millis();
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.FRAME_ID, utf8(Long.toString(frameId)));
        headers.add(FrameHeaders.CAPTURE_TS, utf8(Long.toString(captureTs)));
        headers.add(FrameHeaders.CONTENT_TYPE, utf8(frame.contentType().mediaType()));
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, captureTs, utf8(streamId), frame.data(), headers);
        int size = frame.data().length;
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, new IOException("frame " + frameId + " of stream " + streamId + " ("
                        + size + " bytes) was not written to topic " + topic + ": " + e.getMessage(), e));
            } else {
                acknowledged.incrementAndGet();
                bytes.addAndGet(size);
            }
        });
        sent.incrementAndGet();
    }

    /** Waits for every frame sent to be acknowledged (or failed), then ends. */
    private void finish() {
        scheduler.shutdown();
        try {
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        endNanos = System.nanoTime();
        finished.countDown();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
