package dev.strata.processor.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one bench run measured, with the ratios and target checks derived from it; printed as
 * a table and written as JSON. Sections that were not run are null (absent from the JSON).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BenchReport(String command, Machine machine, Setup setup, List<RawEngineBench.Result> raw,
                   Row perRecord, List<Row> pipeline, Soak.Result soak) {

    /** Where it ran; the load average before the run tells whether other work shared the CPUs. */
    record Machine(int cpus, String cpuModel, double memoryGiB, String jdk, String os, double loadAverage1mBefore,
                   double loadAverage1mAfter) {
    }

    /** What was measured. */
    record Setup(String model, String modelWeights, int inputSize, String engine, String frameSize,
                 double frameBytesMean, int partitions, int saturatedFrames, double latencySeconds,
                 String latencyRate, Map<String, String> settings) {
    }

    /**
     * One broker configuration with its ratios.
     *
     * @param vsRaw        saturated frames/s over the raw engine's images/s at the same batch size
     * @param vsRawPerCpu  the same for frames per CPU-second: what the ratio would be on a machine not
     *                     shared with other work, if both ran CPU-bound
     * @param vsPerRecord  saturated frames/s over the per-record peer's
     * @param p99BoundMs   maxDelay + 2 x the raw engine's time for one batch of this size
     * @param targets      each target and whether it was met
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(BrokerBench.Result result, Double vsRaw, Double vsRawPerCpu, Double vsPerRecord, Double p99BoundMs,
               Map<String, Boolean> targets) {
    }

    static final double RAW_TARGET = 0.9;

    static Row row(BrokerBench.Result result, List<RawEngineBench.Result> raw, BrokerBench.Result peer) {
        RawEngineBench.Result sameBatch = raw == null ? null
                : raw.stream().filter(r -> r.batch() == result.batchSize()).findFirst().orElse(null);
        double fps = result.saturated().framesPerSecond();
        Double vsRaw = sameBatch == null ? null : fps / sameBatch.imagesPerSecond().mean();
        Double vsRawPerCpu = sameBatch == null ? null
                : result.saturated().framesPerCpuSecond() / sameBatch.imagesPerCpuSecond();
        Double vsPeer = peer == null || result.peer() ? null : fps / peer.saturated().framesPerSecond();
        Double bound = sameBatch == null || result.peer() ? null
                : result.maxDelayMs() + 2 * sameBatch.batchMillis().mean();
        Map<String, Boolean> targets = new java.util.LinkedHashMap<>();
        if (!result.peer()) {
            if (vsRaw != null) {
                targets.put("throughput >= 0.9 x raw engine", vsRaw >= RAW_TARGET);
            }
            if (bound != null) {
                targets.put("p99 end-to-end <= maxDelay + 2 x batch inference", result.latency().endToEnd().p99() <= bound);
            }
            if (vsPeer != null) {
                targets.put("not slower than the per-record peer", vsPeer >= 1.0);
            }
        }
        return new Row(result, vsRaw, vsRawPerCpu, vsPeer, bound, targets);
    }

    void write(Path file) throws IOException {
        ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        mapper.writeValue(file.toFile(), this);
    }

    void print(PrintStream out) {
        out.printf("%nStrata bench: %s (%s) at %dx%d on %s; frames %s JPEG (mean %.0f bytes), %d partitions%n",
                setup.model(), setup.modelWeights(), setup.inputSize(), setup.inputSize(), setup.engine(),
                setup.frameSize(), setup.frameBytesMean(), setup.partitions());
        out.printf("machine: %d CPUs, %s, %.1f GiB, %s; 1-min load average %.2f before, %.2f after%n",
                machine.cpus(), machine.cpuModel(), machine.memoryGiB(), machine.jdk(),
                machine.loadAverage1mBefore(), machine.loadAverage1mAfter());
        if (!setup.settings().isEmpty()) {
            out.println("settings: " + setup.settings());
        }
        if (raw != null) {
            out.printf("%nRaw engine (DjlBackbone on pre-made tensors)%n");
            out.printf("%6s %10s %8s %10s %10s %10s %8s %10s %8s%n", "batch", "images/s", "sd", "min", "max",
                    "ms/batch", "cores", "img/cpu-s", "foreign");
            for (RawEngineBench.Result r : raw) {
                double busy = r.cpuSeconds().entrySet().stream().filter(e -> !e.getKey().equals("wall"))
                        .mapToDouble(Map.Entry::getValue).sum();
                out.printf("%6d %10.1f %8.1f %10.1f %10.1f %10.2f %8.2f %10.1f %8.2f%n", r.batch(),
                        r.imagesPerSecond().mean(), r.imagesPerSecond().stddev(), r.imagesPerSecond().min(),
                        r.imagesPerSecond().max(), r.batchMillis().mean(),
                        busy / r.cpuSeconds().getOrDefault("wall", Double.NaN), r.imagesPerCpuSecond(),
                        r.foreignCpus());
            }
        }
        if (perRecord != null || pipeline != null) {
            out.printf("%nThrough the broker: saturated %d frames; latency at %s for %.0f s (ms, scheduled send to "
                    + "label consumed)%n", setup.saturatedFrames(), setup.latencyRate(), setup.latencySeconds());
            out.printf("%-22s %9s %6s %7s %7s | %7s %7s %7s %7s %7s %7s | %6s %7s%n", "configuration", "frames/s",
                    "x raw", "x peer", "x rawcpu", "rate", "batch", "p50", "p95", "p99", "bound", "pub99", "foreign");
            List<Row> rows = new java.util.ArrayList<>();
            if (perRecord != null) {
                rows.add(perRecord);
            }
            if (pipeline != null) {
                rows.addAll(pipeline);
            }
            rows.forEach(row -> printRow(out, row));
            out.printf("%nWhere the time went at the fixed rate (mean ms per frame)%n");
            rows.forEach(row -> out.printf("%-22s %s%n", row.result().name(), row.result().latency().meanMs()
                    .entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "))));
            out.printf("%nCPU per frame when saturated (ms, by thread group; wall = ms per frame)%n");
            rows.forEach(row -> out.printf("%-22s %s%n", row.result().name(), cpuPerFrame(row.result().saturated())));
            out.println();
            if (pipeline != null) {
                for (Row row : pipeline) {
                    row.targets().forEach((target, met) -> out.printf("%-22s %-52s %s%n", row.result().name(), target,
                            met ? "met" : "MISSED"));
                }
            }
            problems(out, perRecord);
            if (pipeline != null) {
                pipeline.forEach(row -> problems(out, row));
            }
        }
        if (soak != null) {
            out.printf("%nSoak: %s, %d frames in %.0f s (%.1f frames/s); after %d frames of warm-up resident "
                            + "anonymous memory grew %.1f MiB (slope %.1f MiB per 100k frames), JVM native (NMT) "
                            + "%.1f MiB; %s%n", soak.setting(), soak.frames(), soak.seconds(), soak.framesPerSecond(),
                    soak.warmupFrames(), soak.rssAnonGrowthMiB(), soak.rssAnonSlopeMiBPer100k(), soak.nmtGrowthMiB(),
                    soak.flat() ? "flat" : "NOT FLAT");
            if (soak.heapCommittedGrowthMiB() > Soak.FLAT_MIB) {
                out.printf("The Java heap's committed size grew %.0f MiB of that: run the soak with -Xms equal to -Xmx "
                        + "and -XX:+AlwaysPreTouch, so that resident memory moves only with native memory%n",
                        soak.heapCommittedGrowthMiB());
            }
        }
    }

    private static void printRow(PrintStream out, Row row) {
        BrokerBench.Result r = row.result();
        var lat = r.latency();
        out.printf("%-22s %9.1f %6s %7s %7s | %7.1f %7.1f %7.1f %7.1f %7.1f %7s | %6.0f %7.2f%n", r.name(),
                r.saturated().framesPerSecond(), fmt(row.vsRaw()), fmt(row.vsPerRecord()), fmt(row.vsRawPerCpu()),
                lat.offeredFramesPerSecond(), lat.meanBatchSize(), lat.endToEnd().p50(), lat.endToEnd().p95(),
                lat.endToEnd().p99(), row.p99BoundMs() == null ? "-" : String.format("%.0f", row.p99BoundMs()),
                lat.publish().p99(), r.saturated().foreignCpus());
    }

    private static String cpuPerFrame(BrokerBench.Saturated saturated) {
        return saturated.cpuSeconds().entrySet().stream()
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() * 1000 / saturated.frames()))
                .collect(Collectors.joining(", "));
    }

    private static void problems(PrintStream out, Row row) {
        if (row != null) {
            row.result().problems().forEach(p -> out.println("PROBLEM in " + row.result().name() + ": " + p));
        }
    }

    private static String fmt(Double ratio) {
        return ratio == null ? "-" : String.format("%.2f", ratio);
    }
}
