package dev.strata.processor.bench;

import dev.strata.processor.inference.Backbone;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;

/**
 * The model alone: {@link Backbone#infer} on a direct buffer filled before the clock starts, copying
 * out the logits only, so nothing but the engine call is timed.
 */
final class RawEngineBench {

    /**
     * One batch size.
     *
     * @param imagesPerSecond per timed round
     * @param batchMillis     one batch's latency, per round
     * @param cpuSeconds      CPU by thread group over all timed rounds (the engine's own pool included)
     * @param imagesPerCpuSecond images per second of CPU time used: the figure least moved by other
     *                        processes sharing the machine
     * @param foreignCpus     the most CPUs other processes used during a kept round
     * @param roundsRepeated  rounds measured again because other processes used too much CPU
     */
    record Result(int batch, int rounds, long batchesTimed, Stats.Spread imagesPerSecond, Stats.Spread batchMillis,
                  Map<String, Double> cpuSeconds, double imagesPerCpuSecond, double foreignCpus, int roundsRepeated) {
    }

    private final Backbone backbone;
    private final int warmupBatches;
    private final int rounds;
    private final double roundSeconds;
    private final QuietGuard quiet;

    RawEngineBench(Backbone backbone, int warmupBatches, int rounds, double roundSeconds, QuietGuard quiet) {
        this.backbone = backbone;
        this.warmupBatches = warmupBatches;
        this.rounds = rounds;
        this.roundSeconds = roundSeconds;
        this.quiet = quiet;
    }

    List<Result> run(SortedSet<Integer> batchSizes, BenchLog log) throws InterruptedException {
        int frameFloats = backbone.info().frameFloats();
        FloatBuffer input = ByteBuffer.allocateDirect(batchSizes.last() * frameFloats * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        Random random = new Random(1);
        for (int i = 0; i < input.capacity(); i++) {
            // About the range of ImageNet-normalised pixels.
            input.put(i, (float) random.nextGaussian());
        }
        List<Result> results = new ArrayList<>();
        for (int batch : batchSizes) {
            for (int i = 0; i < warmupBatches; i++) {
                backbone.infer(input, batch, Set.of());
            }
            double[] rates = new double[rounds];
            double[] millis = new double[rounds];
            long batches = 0;
            double foreignMax = 0;
            int repeated = 0;
            Map<String, Double> cpu = new java.util.LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (int attempt = 0; ; attempt++) {
                    ThreadCpu cpuStart = ThreadCpu.snapshot();
                    MachineLoad loadStart = MachineLoad.snapshot();
                    long start = System.nanoTime();
                    long deadline = start + (long) (roundSeconds * 1e9);
                    int n = 0;
                    long now;
                    do {
                        backbone.infer(input, batch, Set.of());
                        n++;
                        now = System.nanoTime();
                    } while (now < deadline);
                    double foreign = MachineLoad.snapshot().foreignCpusSince(loadStart);
                    if (quiet.retry(foreign, attempt)) {
                        repeated++;
                        quiet.pause(log, "raw engine batch " + batch, foreign);
                        continue;
                    }
                    ThreadCpu.snapshot().since(cpuStart, "").forEach((group, seconds) -> cpu.merge(group, seconds,
                            Double::sum));
                    double seconds = (now - start) / 1e9;
                    rates[r] = n * batch / seconds;
                    millis[r] = seconds * 1000 / n;
                    batches += n;
                    foreignMax = Math.max(foreignMax, foreign);
                    break;
                }
            }
            Result result = new Result(batch, rounds, batches, Stats.Spread.of(rates), Stats.Spread.of(millis), cpu,
                    batches * batch / ThreadCpu.busySeconds(cpu), foreignMax, repeated);
            log.line(String.format("raw engine  batch %2d: %8.1f images/s (sd %.1f), %8.2f ms per batch", batch,
                    result.imagesPerSecond().mean(), result.imagesPerSecond().stddev(), result.batchMillis().mean()));
            results.add(result);
        }
        return results;
    }
}
