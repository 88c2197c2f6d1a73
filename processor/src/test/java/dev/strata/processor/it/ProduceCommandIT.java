package dev.strata.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.Main;
import dev.strata.processor.frame.ContentType;
import dev.strata.processor.frame.FrameEnvelope;
import dev.strata.processor.frame.FrameRejectedException;
import dev.strata.processor.frame.FrameSource;
import dev.strata.processor.testing.InProcessKafka;
import dev.strata.processor.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code strata produce} against a real broker: what arrives is exactly what was sent. */
class ProduceCommandIT {

    @TempDir
    static Path dir;
    @RegisterExtension
    static final InProcessKafka broker = new InProcessKafka();

    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void createTopics() throws Exception {
        broker.kafka().createTopics(3, List.of("from-dir", "from-mjpeg", "from-stdin", "synthetic"));
    }

    @Test
    void aDirectoryOfImagesArrivesByteForByteWithKeyAndHeaders() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        byte[] jpeg = TestImages.encode(TestImages.drawing(64, 48), "jpg");
        byte[] png = TestImages.encode(TestImages.drawing(48, 64), "png");
        byte[] bmp = TestImages.encode(TestImages.drawing(20, 20), "bmp");
        Files.write(images.resolve("001.jpg"), jpeg);
        Files.write(images.resolve("002.png"), png);
        Files.write(images.resolve("003.bmp"), bmp);
        long before = System.currentTimeMillis();

        int exit = produce("--topic", "from-dir", "--images", images.toString(), "--stream-id", "door-7",
                "--fps", "0");

        assertThat(exit).as(err.toString()).isZero();
        List<ConsumerRecord<String, byte[]>> records = broker.harness().read("from-dir", Duration.ofSeconds(30), 3);
        assertThat(records).hasSize(3);
        List<FrameEnvelope> frames = records.stream().map(ProduceCommandIT::parse).toList();
        assertThat(frames).extracting(FrameEnvelope::streamId).containsOnly("door-7");
        assertThat(frames).extracting(FrameEnvelope::frameId).containsExactly("0", "1", "2");
        assertThat(frames).extracting(FrameEnvelope::contentType)
                .containsExactly(ContentType.JPEG, ContentType.PNG, ContentType.BMP);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(jpeg, png, bmp);
        assertThat(records).extracting(r -> header(r, "content-type"))
                .containsExactly("image/jpeg", "image/png", "image/bmp");
        for (int i = 0; i < records.size(); i++) {
            assertThat(frames.get(i).captureTs()).isBetween(before, System.currentTimeMillis())
                    .isEqualTo(records.get(i).timestamp());
        }
        assertThat(err.toString()).contains("done, 3 frames sent");
    }

    @Test
    void anMjpegFileArrivesAsItsJpegImages() throws Exception {
        List<byte[]> jpegs = List.of(
                TestImages.encode(TestImages.drawing(64, 48), "jpg"),
                Files.readAllBytes(Path.of(ProduceCommandIT.class.getResource("/images/chelsea.jpg").toURI())),
                TestImages.encode(TestImages.drawing(30, 90), "jpg"));
        ByteArrayOutputStream mjpeg = new ByteArrayOutputStream();
        jpegs.forEach(mjpeg::writeBytes);
        mjpeg.write(jpegs.get(0), 0, 100); // a truncated tail, as when a recording is cut off
        Path file = dir.resolve("clip.mjpeg");
        Files.write(file, mjpeg.toByteArray());

        int exit = produce("--topic", "from-mjpeg", "--mjpeg", file.toString(), "--fps", "0");

        assertThat(exit).as(err.toString()).isZero();
        List<ConsumerRecord<String, byte[]>> records = broker.harness().read("from-mjpeg", Duration.ofSeconds(30), 3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(jpegs);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("cam-1");
        assertThat(records).extracting(r -> header(r, "content-type")).containsOnly("image/jpeg");
    }

    @Test
    void anMjpegStreamOnStandardInputArrivesAsItsJpegImages() throws Exception {
        byte[] a = TestImages.encode(TestImages.drawing(40, 40), "jpg");
        byte[] b = TestImages.encode(TestImages.drawing(50, 30), "jpg");
        InputStream stdin = System.in;
        int exit;
        try {
            System.setIn(new ByteArrayInputStream(concat(a, b)));
            exit = produce("--topic", "from-stdin", "--mjpeg", "-", "--stream-id", "pipe", "--fps", "0");
        } finally {
            System.setIn(stdin);
        }

        assertThat(exit).as(err.toString()).isZero();
        assertThat(broker.harness().read("from-stdin", Duration.ofSeconds(30), 2)).extracting(ConsumerRecord::value)
                .containsExactly(a, b);
    }

    @Test
    void syntheticStreamsSendTheirCountEachInOrder() throws Exception {
        int exit = produce("--topic", "synthetic", "--streams", "3", "--count", "5", "--fps", "50",
                "--width", "64", "--height", "48");

        assertThat(exit).as(err.toString()).isZero();
        List<ConsumerRecord<String, byte[]>> records = broker.harness().read("synthetic", Duration.ofSeconds(30), 15);
        assertThat(records).hasSize(15);
        Map<String, List<String>> idsPerStream = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(r -> header(r, "frame-id"), Collectors.toList())));
        assertThat(idsPerStream).containsOnlyKeys("cam-1", "cam-2", "cam-3")
                .allSatisfy((stream, ids) -> assertThat(ids).containsExactly("0", "1", "2", "3", "4"));
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(records.get(0).value()));
        assertThat(first.getWidth()).isEqualTo(64);
        assertThat(first.getHeight()).isEqualTo(48);
    }

    @Test
    void refusesOptionsThatDoNotFitTogether() {
        assertThat(produce("--images", dir.resolve("no-such-dir").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-dir is not a directory");
        assertThat(produce("--loop")).isEqualTo(2);
        assertThat(err.toString()).contains("--loop applies to --images and --mjpeg");
        assertThat(produce("--count", "3", "--duration", "10s")).isEqualTo(2);
        assertThat(produce("--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    private int produce(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "produce";
        all[1] = "--bootstrap-servers";
        all[2] = broker.harness().bootstrapServers();
        System.arraycopy(args, 0, all, 3, args.length);
        return new CommandLine(new Main()).setErr(new PrintWriter(err, true)).setOut(new PrintWriter(err, true))
                .execute(all);
    }

    private static FrameEnvelope parse(ConsumerRecord<String, byte[]> r) {
        try {
            return FrameEnvelope.parse(r.key().getBytes(StandardCharsets.UTF_8), r.value(), r.headers(),
                    new FrameSource(r.topic(), r.partition(), r.offset()), r.timestamp(), TestImages.LIMITS);
        } catch (FrameRejectedException e) {
            throw new AssertionError("the processor would reject " + r + ": " + e.getMessage(), e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(a);
        out.write(b);
        return out.toByteArray();
    }
}
