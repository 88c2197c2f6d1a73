package dev.strata.processor.bench;

import dev.strata.models.Architecture;
import dev.strata.models.ModelExporter;
import dev.strata.models.catalog.Catalog;
import dev.strata.models.weights.SeededWeights;
import dev.strata.processor.config.InvalidConfigException;
import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.demo.EmbeddedKafka;
import dev.strata.processor.inference.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code strata bench}: the raw engine, Strata and the per-record peer measured side by side in one
 * process, against an in-process broker; prints a table and writes JSON. See BENCHMARKS.md.
 */
@Command(name = "bench", sortOptions = false,
        description = {"Measure the raw engine, Strata's pipeline and a per-record Kafka Streams peer side by side,",
            "in one process, against an in-process Kafka broker. Prints a table; --json writes every figure."})
public final class BenchCommand implements Callable<Integer> {

    /** What a run measures; --sections picks. */
    enum Section { RAW, PEER, PIPELINE, SOAK }

    /** Settings the bench sets itself for every run; --set may not change them. */
    private static final Set<String> MANAGED = Set.of("STRATA_KAFKA_BOOTSTRAP_SERVERS", "STRATA_KAFKA_APPLICATION_ID",
            "STRATA_KAFKA_STATE_DIR", "STRATA_TOPICS_FRAMES", "STRATA_TOPICS_LABELS", "STRATA_TOPICS_FEATURES",
            "STRATA_TOPICS_DLQ", "STRATA_TOPICS_EVENTS", "STRATA_BATCH_SIZE", "STRATA_BATCH_MAX_DELAY",
            "STRATA_BATCH_MAX_IN_FLIGHT", "STRATA_HTTP_PORT", "STRATA_MODEL_PATH", "STRATA_MODEL_ARCH",
            "STRATA_MODEL_INPUT_SIZE", "STRATA_MODEL_LABELS", "STRATA_MODEL_SEED");

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "ARCH", defaultValue = "convmlp-s",
            description = "Catalog architecture, exported with seeded weights (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--onnx", paramLabel = "FILE", description = "An ONNX model exported by Strata, instead of --model.")
    private Path onnx;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names for --onnx (one per line).")
    private Path labels;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the weights and frames (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--input-size", paramLabel = "N", defaultValue = "224",
            description = "Model input side (default: ${DEFAULT-VALUE}).")
    private int inputSize;

    @Option(names = "--frame-size", paramLabel = "WxH", defaultValue = "640x480",
            description = "Size of the JPEG frames sent (default: ${DEFAULT-VALUE}).")
    private String frameSize;

    @Option(names = "--sections", split = ",", paramLabel = "raw,peer,pipeline,soak",
            description = "What to run (default: raw, peer and pipeline, and soak with --soak).")
    private List<String> sections;

    @Option(names = "--raw-batches", split = ",", paramLabel = "N,...", defaultValue = "1,4,8,16,32",
            description = "Raw engine batch sizes; the pipeline's are added (default: ${DEFAULT-VALUE}).")
    private List<Integer> rawBatches;

    @Option(names = "--raw-rounds", defaultValue = "5", description = "Timed rounds per batch size (default: ${DEFAULT-VALUE}).")
    private int rawRounds;

    @Option(names = "--raw-round-seconds", defaultValue = "2",
            description = "Length of one round; at least one batch (default: ${DEFAULT-VALUE}).")
    private double rawRoundSeconds;

    @Option(names = "--raw-warmup", defaultValue = "3", description = "Untimed batches first (default: ${DEFAULT-VALUE}).")
    private int rawWarmup;

    @Option(names = "--settings", split = ",", paramLabel = "SIZE/DELAY,...",
            defaultValue = "1/1ms,4/10ms,8/20ms,16/40ms,32/80ms",
            description = "Strata batch.size/max-delay settings to measure (default: ${DEFAULT-VALUE}).")
    private List<String> settings;

    @Option(names = "--frames", defaultValue = "400", description = "Frames of each saturated run (default: ${DEFAULT-VALUE}).")
    private int frames;

    @Option(names = "--warmup-seconds", defaultValue = "10",
            description = "Least warm-up of each broker run, in bursts of frames (default: ${DEFAULT-VALUE}).")
    private double warmupSeconds;

    @Option(names = "--latency-seconds", defaultValue = "15",
            description = "Length of each fixed-rate latency run (default: ${DEFAULT-VALUE}).")
    private double latencySeconds;

    @Option(names = "--rate", paramLabel = "FPS",
            description = "Offered frames/s of the latency runs; default: half the per-record peer's saturated rate "
                    + "(without the peer: half of each run's own).")
    private Double rate;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of the frames topic = camera streams (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--soak", paramLabel = "FRAMES", defaultValue = "0",
            description = "Frames of the soak, a long run with memory sampled (default: ${DEFAULT-VALUE}, no soak).")
    private int soakFrames;

    @Option(names = "--soak-setting", paramLabel = "SIZE/DELAY", defaultValue = "8/20ms",
            description = "Strata setting of the soak (default: ${DEFAULT-VALUE}).")
    private String soakSetting;

    @Option(names = "--sample-seconds", defaultValue = "5", description = "Soak memory sampling period (default: ${DEFAULT-VALUE}).")
    private double sampleSeconds;

    @Option(names = "--set", paramLabel = "STRATA_X=VALUE",
            description = "A Strata setting for every run, in environment-variable form, e.g. "
                    + "STRATA_BATCH_DECODE_THREADS=1 or STRATA_MODEL_INTRA_OP_THREADS=2.")
    private Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE", description = "A Strata config file every run starts from.")
    private Path config;

    @Option(names = "--max-foreign", paramLabel = "CPUS",
            description = "Measure a phase again when other processes used more than this many CPUs during it "
                    + "(default: no limit).")
    private Double maxForeign;

    @Option(names = "--retries", defaultValue = "3",
            description = "How often a phase is measured again under --max-foreign (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--retry-wait-seconds", defaultValue = "30",
            description = "Pause before measuring again (default: ${DEFAULT-VALUE}).")
    private int retryWaitSeconds;

    @Option(names = "--profile", description = "Record a JFR profile of each saturated run and summarise it.")
    private boolean profile;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Broker logs, state and recordings (default: a temporary directory, deleted after).")
    private Path workDir;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds any one phase may take (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every figure as JSON.")
    private Path json;

    @Override
    public Integer call() throws Exception {
        Set<Section> run = sections();
        List<RunSpec> pipelineSpecs = settings.stream().map(this::parseSetting).toList();
        RunSpec soakSpec = parseSetting(soakSetting);
        int[] frameSides = frameSize();
        sets.keySet().forEach(this::checkSet);
        if (frames < 10 || partitions < 1 || rawRounds < 1 || latencySeconds <= 0 || soakFrames < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--frames must be at least 10, --partitions, --raw-rounds and --latency-seconds positive");
        }

        QuietGuard quiet = maxForeign == null ? QuietGuard.off()
                : new QuietGuard(maxForeign, retries, Duration.ofSeconds(retryWaitSeconds));
        BenchLog log = new BenchLog(System.err);
        double loadBefore = MachineLoad.loadAverage1m();
        log.line(String.format("1-minute load average before: %.2f", loadBefore));
        boolean temporary = workDir == null;
        Path dir = temporary ? Files.createTempDirectory("strata-bench") : Files.createDirectories(workDir);
        try {
            Path modelFile = modelFile(dir, log);
            Map<String, String> baseEnv = new HashMap<>(sets);
            baseEnv.put("STRATA_MODEL_PATH", modelFile.toString());
            baseEnv.put("STRATA_MODEL_INPUT_SIZE", Integer.toString(inputSize));
            if (labels != null) {
                baseEnv.put("STRATA_MODEL_LABELS", labels.toString());
            }
            StrataConfig base;
            try {
                base = StrataConfig.load(Optional.ofNullable(config), baseEnv);
            } catch (InvalidConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            FrameSet frameSet = FrameSet.generate(16, frameSides[0], frameSides[1], seed);
            log.line(String.format("frames: 16 JPEGs of %s, mean %.0f bytes", frameSize, frameSet.meanBytes()));

            List<RawEngineBench.Result> raw = null;
            if (run.contains(Section.RAW)) {
                TreeSet<Integer> batches = new TreeSet<>(rawBatches);
                pipelineSpecs.forEach(s -> batches.add(s.batchSize()));
                raw = raw(base, batches, quiet, log);
            }

            BenchReport.Row peerRow = null;
            List<BenchReport.Row> pipelineRows = null;
            Soak.Result soak = null;
            if (run.contains(Section.PEER) || run.contains(Section.PIPELINE) || run.contains(Section.SOAK)) {
                try (EmbeddedKafka kafka = EmbeddedKafka.start(1, dir.resolve("kafka"))) {
                    BrokerBench bench = new BrokerBench(new BrokerBench.Setup(kafka, dir, Optional.ofNullable(config),
                            baseEnv, frameSet, partitions, frames, Duration.ofMillis((long) (warmupSeconds * 1000)), latencySeconds,
                            Duration.ofSeconds(timeoutSeconds), profile, quiet), log);
                    BrokerBench.Result peer = null;
                    if (run.contains(Section.PEER)) {
                        peer = bench.run(RunSpec.perRecordPeer(), Optional.ofNullable(rate));
                        peerRow = BenchReport.row(peer, raw, null);
                    }
                    if (run.contains(Section.PIPELINE)) {
                        Optional<Double> pipelineRate = Optional.ofNullable(rate);
                        if (pipelineRate.isEmpty() && peer != null) {
                            pipelineRate = Optional.of(peer.latency().offeredFramesPerSecond());
                        }
                        pipelineRows = new ArrayList<>();
                        for (RunSpec s : pipelineSpecs) {
                            pipelineRows.add(BenchReport.row(bench.run(s, pipelineRate), raw, peer));
                        }
                    }
                    if (run.contains(Section.SOAK)) {
                        soak = new Soak(kafka, log).run(bench, soakSpec, frameSet, partitions, soakFrames,
                                Duration.ofMillis((long) (sampleSeconds * 1000)), Duration.ofSeconds(timeoutSeconds));
                    }
                }
            }

            BenchReport report = new BenchReport(String.join(" ", commandLine()), machine(loadBefore),
                    setup(base, frameSet), raw, peerRow, pipelineRows, soak);
            report.print(System.out);
            if (json != null) {
                report.write(json);
                log.line("wrote " + json);
            }
            return 0;
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private Set<Section> sections() {
        Set<Section> chosen = EnumSet.noneOf(Section.class);
        if (sections == null) {
            chosen.addAll(List.of(Section.RAW, Section.PEER, Section.PIPELINE));
            if (soakFrames > 0) {
                chosen.add(Section.SOAK);
            }
            return chosen;
        }
        for (String s : sections) {
            try {
                chosen.add(Section.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--sections takes raw, peer, pipeline and soak, not '"
                        + s + "'");
            }
        }
        if (chosen.contains(Section.SOAK) && soakFrames <= 0) {
            throw new ParameterException(spec.commandLine(), "--sections soak needs --soak FRAMES");
        }
        return chosen;
    }

    private RunSpec parseSetting(String text) {
        try {
            return RunSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int[] frameSize() {
        String[] sides = frameSize.toLowerCase(Locale.ROOT).split("x");
        try {
            int[] parsed = {Integer.parseInt(sides[0]), Integer.parseInt(sides[1])};
            if (sides.length == 2 && parsed[0] > 0 && parsed[1] > 0) {
                return parsed;
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--frame-size is WIDTHxHEIGHT, e.g. 640x480, not " + frameSize);
    }

    private void checkSet(String name) {
        if (!name.startsWith("STRATA_")) {
            throw new ParameterException(spec.commandLine(), "--set takes Strata settings in environment form "
                    + "(STRATA_...), not " + name);
        }
        if (MANAGED.contains(name)) {
            throw new ParameterException(spec.commandLine(), "--set " + name + ": the bench sets this itself; use its "
                    + "own options (--settings, --model, --input-size, ...)");
        }
    }

    private Path modelFile(Path dir, BenchLog log) throws IOException {
        if (onnx != null) {
            return onnx;
        }
        Architecture arch;
        try {
            arch = Catalog.find(model);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--model: " + e.getMessage());
        }
        Path file = dir.resolve(model + ".onnx");
        ModelExporter.export(arch, ModelExporter.IMAGENET_CLASSES, new SeededWeights(seed)).writeTo(file);
        log.line("exported " + model + " with seeded weights (seed " + seed + ") to " + file);
        return file;
    }

    private List<RawEngineBench.Result> raw(StrataConfig base, TreeSet<Integer> batches, QuietGuard quiet, BenchLog log)
            throws InterruptedException {
        ModelLoader.Loaded loaded = NamedThread.call(ThreadCpu.ENGINE_STARTER,
                () -> ModelLoader.load(base.model(), batches.last()));
        try {
            log.line("raw engine: " + loaded.backbone().engine() + "/" + loaded.backbone().device() + ", loaded in "
                    + loaded.loadNanos() / 1_000_000 + " ms");
            RawEngineBench bench = new RawEngineBench(loaded.backbone(), rawWarmup, rawRounds, rawRoundSeconds, quiet);
            // Named like Strata's inference thread, so its CPU is grouped the same way.
            return NamedThread.call("strata-inference-raw", () -> bench.run(batches, log));
        } finally {
            loaded.backbone().close();
        }
    }

    private BenchReport.Setup setup(StrataConfig base, FrameSet frameSet) {
        Map<String, String> shown = new LinkedHashMap<>(sets);
        shown.putIfAbsent("STRATA_BATCH_DECODE_THREADS", Integer.toString(base.batch().decodeThreads()));
        shown.putIfAbsent("STRATA_MODEL_INTRA_OP_THREADS", Integer.toString(base.model().intraOpThreads()));
        shown.putIfAbsent("STRATA_OUTPUT_FEATURES_ENABLED", Boolean.toString(base.output().features().enabled()));
        String rateText = rate != null ? String.format("%.1f frames/s", rate)
                : "half the per-record peer's saturated rate";
        return new BenchReport.Setup(onnx != null ? onnx.getFileName().toString() : model,
                onnx != null ? "from file" : "seeded:" + seed, inputSize,
                base.model().engine().name().toLowerCase(Locale.ROOT) + "/" + base.model().device(), frameSize,
                frameSet.meanBytes(), partitions, frames, latencySeconds, rateText, shown);
    }

    private List<String> commandLine() {
        // The parse result holds the whole command line, subcommand name included.
        List<String> args = new ArrayList<>(List.of("strata"));
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        return args;
    }

    private static BenchReport.Machine machine(double loadBefore) {
        return new BenchReport.Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memoryGiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), loadBefore, MachineLoad.loadAverage1m());
    }

    private static String cpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static double memoryGiB() {
        return procLine(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Double.parseDouble(v.split("\\s+")[0]) / (1024 * 1024))
                .orElse(Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024));
    }

    private static Optional<String> procLine(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
