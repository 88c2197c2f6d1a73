package dev.strata.processor.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.StrataTopology;
import dev.strata.processor.config.EventSettings;
import dev.strata.processor.config.EventSettings.SmoothingMethod;
import dev.strata.processor.ops.StrataMetrics;
import dev.strata.processor.output.ClassLabels;
import dev.strata.processor.output.ScoredLabel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event logic on synthetic frame sequences whose right answer is known. Frames enter as
 * text ("frameId|top-1 class|scene") and become embeddings near one unit vector per scene with
 * a little seeded noise, so each test controls exactly what the detector sees.
 */
class EventProcessorTest {

    private static final int DIM = 64;
    private static final ClassLabels CLASSES = ClassLabels.of(
            IntStream.range(0, 10).mapToObj(i -> "class-" + i).toList(), "test classes");

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> frames;
    private TestOutputTopic<String, StreamEvent> events;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private void start(EventSettings settings) {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new SyntheticFrames(), "synthetic");
        topology.addProcessor(StrataTopology.EVENTS, () -> new EventProcessor(new EventDetector(settings, CLASSES),
                settings, new StrataMetrics(registry), Clock.systemUTC()), "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                StrataTopology.STREAM_STATE_STORE), Serdes.String(), new StreamStateSerde()), StrataTopology.EVENTS);
        topology.addSink("out", "events", new StringSerializer(), new StreamEventSerde().serializer(),
                StrataTopology.EVENTS);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "events-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props, Instant.now());
        frames = driver.createInputTopic("synthetic", new StringSerializer(), new StringSerializer());
        events = driver.createOutputTopic("events", new StringDeserializer(), new StreamEventSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static EventSettings settings(SmoothingMethod method, int window, Optional<Duration> idle) {
        return new EventSettings(true, new EventSettings.SceneChange(-1, 0.3, 5),
                new EventSettings.LabelChange(window, method, 0.4), idle, true);
    }

    private static EventSettings defaults() {
        return settings(SmoothingMethod.MAJORITY, 5, Optional.empty());
    }

    /** Sends frames f0.. of a stream: one entry per frame, "class:scene". */
    private void send(String stream, String... classAndScene) {
        for (String frame : classAndScene) {
            frames.pipeInput(stream, "f" + counter++ + "|" + frame);
        }
    }

    private int counter;

    @Test
    void twoScenesWithOneCutGiveExactlyOneSceneChange() {
        start(defaults());
        send("cam-1", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:b", "1:b", "1:b", "1:b", "1:b");

        List<StreamEvent> out = events.readValuesToList();
        assertThat(out).hasSize(1);
        StreamEvent cut = out.get(0);
        assertThat(cut.type()).isEqualTo("scene_change");
        assertThat(cut.frameId()).isEqualTo("f6");
        assertThat(cut.previousFrameId()).isEqualTo("f5");
        assertThat(cut.distance()).isGreaterThan(0.3);
    }

    @Test
    void aSteadySceneWithNoiseUnderTheThresholdGivesNone() {
        start(defaults());
        send("cam-1", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a");

        assertThat(events.readValuesToList()).isEmpty();
        // The distances were measured, and all under the threshold.
        assertThat(registry.get("strata.events.scene.distance").summary().count()).isEqualTo(11);
        assertThat(registry.get("strata.events.scene.distance").summary().max()).isLessThan(300);
    }

    @Test
    void aCutFollowedByFlickerWithinMinFramesGivesOneEvent() {
        start(defaults());
        send("cam-1", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a", "1:b", "1:a", "1:b", "1:b", "1:b");

        assertThat(events.readValuesToList()).extracting(StreamEvent::type).containsExactly("scene_change");
    }

    @Test
    void labelFlickerShorterThanTheWindowGivesNoLabelChange() {
        start(defaults());
        send("cam-1", "3:a", "3:a", "3:a", "3:a", "3:a", "7:a", "7:a", "3:a", "3:a", "3:a");

        assertThat(events.readValuesToList()).isEmpty();
    }

    @Test
    void aLastingLabelChangeGivesOneLabelChangeWithFromAndTo() {
        start(defaults());
        send("cam-1", "3:a", "3:a", "3:a", "3:a", "3:a", "7:a", "7:a", "7:a", "7:a", "7:a", "7:a");

        List<StreamEvent> out = events.readValuesToList();
        assertThat(out).hasSize(1);
        StreamEvent change = out.get(0);
        assertThat(change.type()).isEqualTo("label_change");
        assertThat(change.from().index()).isEqualTo(3);
        assertThat(change.from().label()).isEqualTo("class-3");
        assertThat(change.to().index()).isEqualTo(7);
        // Majority of 5: the third 7 outvotes the two remaining 3s.
        assertThat(change.frameId()).isEqualTo("f7");
        assertThat(change.confidence()).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void exponentialAveragingAlsoIgnoresAShortFlickerAndFollowsALastingChange() {
        start(settings(SmoothingMethod.EMA, 5, Optional.empty()));
        send("cam-1", "3:a", "3:a", "3:a", "3:a", "7:a", "3:a", "3:a");
        assertThat(events.readValuesToList()).isEmpty();

        send("cam-1", "7:a", "7:a", "7:a", "7:a");
        assertThat(events.readValuesToList()).extracting(e -> e.to().index()).containsExactly(7);
    }

    @Test
    void streamsAreIndependent() {
        start(defaults());
        send("cam-1", "1:a", "1:a", "1:a", "1:a", "1:a", "1:a");
        send("cam-2", "1:b", "1:b", "1:b", "1:b", "1:b", "1:b");

        assertThat(events.readValuesToList()).isEmpty();
    }

    @Test
    void aSilentStreamIsForgottenWithAStreamIdleEvent() {
        start(settings(SmoothingMethod.MAJORITY, 5, Optional.of(Duration.ofSeconds(10))));
        send("cam-1", "1:a", "1:a", "1:a");

        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(events.readValuesToList()).isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        List<StreamEvent> out = events.readValuesToList();
        assertThat(out).extracting(StreamEvent::type).containsExactly("stream_idle");
        assertThat(out.get(0).frameId()).isEqualTo("f2");
        assertThat(out.get(0).idleMs()).isGreaterThanOrEqualTo(10_000L);
        assertThat(driver.<String, StreamState>getKeyValueStore(StrataTopology.STREAM_STATE_STORE).get("cam-1"))
                .isNull();

        // A forgotten stream starts afresh: a different scene is not a cut from a forgotten frame.
        send("cam-1", "1:b");
        assertThat(events.readValuesToList()).isEmpty();
    }

    /** "frameId|class:scene" -> an EventInput near the scene's unit vector, top-1 = class. */
    private static final class SyntheticFrames implements Deserializer<EventInput> {
        private final Random noise = new Random(5);

        @Override
        public EventInput deserialize(String topic, byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\\|");
            String[] classAndScene = parts[1].split(":");
            int top1 = Integer.parseInt(classAndScene[0]);
            int sceneAxis = classAndScene[1].charAt(0) - 'a';
            float[] embedding = new float[DIM];
            double norm = 0;
            for (int i = 0; i < DIM; i++) {
                embedding[i] = (float) ((i == sceneAxis ? 1.0 : 0.0) + 0.05 * noise.nextGaussian());
                norm += embedding[i] * embedding[i];
            }
            for (int i = 0; i < DIM; i++) {
                embedding[i] /= (float) Math.sqrt(norm);
            }
            List<ScoredLabel> labels = new ArrayList<>();
            labels.add(new ScoredLabel(top1, "class-" + top1, 0.8f));
            labels.add(new ScoredLabel((top1 + 1) % 10, "class-" + (top1 + 1) % 10, 0.1f));
            return new EventInput(parts[0], 1_000L * Integer.parseInt(parts[0].substring(1)), embedding, labels);
        }
    }
}
