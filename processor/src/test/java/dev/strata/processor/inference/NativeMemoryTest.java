package dev.strata.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.strata.processor.testing.TinyModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Thousands of batches through DJL and ONNX Runtime leave no native memory behind: every batch
 * runs in its own NDManager scope ({@link DjlBackbone#infer}).
 *
 * <p>The batches run in a child JVM whose heap is fixed and pre-touched, so that process RSS moves
 * only with native memory (a test JVM's heap grows and shrinks by hundreds of MB on its own), and
 * with {@code MALLOC_ARENA_MAX=2}, which keeps glibc from adding a 64 MiB arena per thread. RSS
 * and the JVM's direct buffers are sampled after a warm-up (ONNX Runtime's arena and the JIT
 * have grown by then) and at the end. Not closing the per-batch NDManager leaks each batch's
 * output tensors, about 125 KiB here (8 frames of 64x64): RSS grows by 500 MiB over this run,
 * against a bound of 64 MiB (without the leak it moves by a few MiB). Direct buffers are also
 * sampled between GCs: a heap input buffer made the engine copy each batch into a fresh direct
 * buffer, tens of MiB of garbage that only a GC frees.
 *
 * <p>{@code -Dstrata.soak.batches=N} runs a longer soak with the same bound.
 */
@EnabledOnOs(OS.LINUX)
class NativeMemoryTest {

    private static final int BATCH = 8;
    private static final int WARM_UP = 500;
    private static final long MAX_RSS_GROWTH = 64L << 20;
    private static final long MAX_DIRECT_GROWTH = 8L << 20;
    private static final String RESULT = "growth:";

    @Test
    void thousandsOfBatchesDoNotGrowNativeMemory() throws Exception {
        int batches = Integer.getInteger("strata.soak.batches", 4000);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Soak.class.getName(), Integer.toString(batches))
                .redirectErrorStream(true);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process child = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.startsWith("NativeMemoryTest")) {
                    System.out.println(line);
                }
            }
        } finally {
            if (!child.waitFor(5, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
        }
        assertThat(child.exitValue()).as("soak JVM exit; its output:%n%s", String.join("\n", output)).isZero();
        String result = output.stream().filter(l -> l.startsWith("NativeMemoryTest " + RESULT)).findFirst()
                .orElseThrow(() -> new AssertionError("no result line in:\n" + String.join("\n", output)));
        String[] growth = result.substring(result.indexOf(RESULT) + RESULT.length()).strip().split(" ");
        long rss = Long.parseLong(growth[0]);
        long direct = Long.parseLong(growth[1]);
        long directPeak = Long.parseLong(growth[2]);

        assertThat(rss).as("RSS growth over %d batches", batches).isLessThan(MAX_RSS_GROWTH);
        assertThat(direct).as("direct buffer growth over %d batches", batches).isLessThan(MAX_DIRECT_GROWTH);
        assertThat(directPeak).as("direct buffers in use between GCs").isLessThan(MAX_DIRECT_GROWTH);
    }

    /**
     * The child JVM: runs the batches and prints RSS and direct-buffer growth after a GC, and the
     * most direct-buffer bytes seen between GCs, in bytes.
     */
    static final class Soak {

        public static void main(String[] args) {
            int batches = Integer.parseInt(args[0]);
            ModelInfo info = TinyModels.convMlpInfo();
            // One direct buffer for every batch, as the inference executor hands the engine.
            FloatBuffer input = ByteBuffer.allocateDirect(BATCH * info.frameFloats() * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            Random random = new Random(3);
            while (input.hasRemaining()) {
                input.put((float) random.nextGaussian());
            }
            Set<Integer> allStages = IntStream.range(0, info.stages().size()).boxed().collect(Collectors.toSet());
            try (DjlBackbone backbone = DjlBackbone.load(TinyModels.convMlpFile(), info, "OnnxRuntime", Device.cpu(),
                    Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1"))) {
                for (int i = 0; i < WARM_UP; i++) {
                    backbone.infer(input, BATCH, allStages);
                }
                long[] before = settled();
                long checksum = 0;
                long directPeak = 0;
                for (int i = 1; i <= batches; i++) {
                    checksum += Float.floatToIntBits(backbone.infer(input, BATCH, allStages).logits()[i % BATCH]);
                    if (i % 100 == 0) {
                        directPeak = Math.max(directPeak, sample()[1] - before[1]);
                    }
                    if (i % 1000 == 0) {
                        long[] now = sample();
                        System.out.printf("NativeMemoryTest: after %d batches RSS %+d MiB, direct buffers %+d MiB%n",
                                i, (now[0] - before[0]) >> 20, (now[1] - before[1]) >> 20);
                    }
                }
                long[] after = settled();
                System.out.printf("NativeMemoryTest: %d batches of %d (checksum %d)%n", batches, BATCH, checksum);
                System.out.println("NativeMemoryTest " + RESULT + " " + (after[0] - before[0]) + " "
                        + (after[1] - before[1]) + " " + directPeak);
            }
        }

        /** After a full GC, so direct buffers that are only garbage are freed first. */
        private static long[] settled() {
            System.gc();
            System.gc();
            return sample();
        }

        /** {RSS, direct buffer bytes}. */
        private static long[] sample() {
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return new long[] {Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024, direct};
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("no VmRSS line in /proc/self/status");
        }
    }
}
