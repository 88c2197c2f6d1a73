package dev.strata.processor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this process, from {@code /proc/self/task/<tid>/schedstat}
 * (nanoseconds on a CPU), grouped by what the thread does. Unlike a Java profiler this sees native
 * threads too: ONNX Runtime's intra-op pool, libjpeg inside ImageIO, GC and JIT.
 *
 * <p>Linux names a thread by at most 15 characters ({@code comm}); the JVM copies Java thread names
 * there and native threads inherit the name of the thread that created them.
 */
final class ThreadCpu {

    /** Name given to the thread that creates ONNX Runtime sessions, whose pool threads inherit it. */
    static final String ENGINE_STARTER = "ort-intra-op";

    private static final Path TASKS = Path.of("/proc/self/task");

    private final Map<Long, Long> cpuNanosByTid;
    private final Map<Long, String> nameByTid;
    private final long takenNanos;

    private ThreadCpu(Map<Long, Long> cpuNanosByTid, Map<Long, String> nameByTid, long takenNanos) {
        this.cpuNanosByTid = cpuNanosByTid;
        this.nameByTid = nameByTid;
        this.takenNanos = takenNanos;
    }

    static boolean available() {
        return Files.isDirectory(TASKS);
    }

    /** The CPU time of every live thread now; empty where /proc is not available. */
    static ThreadCpu snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        if (available()) {
            try (Stream<Path> tasks = Files.list(TASKS)) {
                tasks.forEach(task -> {
                    try {
                        long tid = Long.parseLong(task.getFileName().toString());
                        String schedstat = Files.readString(task.resolve("schedstat")).trim();
                        cpu.put(tid, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                        names.put(tid, Files.readString(task.resolve("comm")).trim());
                    } catch (IOException | RuntimeException e) {
                        // The thread ended while being read: its time is lost, as for any thread ending
                        // between two snapshots.
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + TASKS, e);
            }
        }
        return new ThreadCpu(cpu, names, System.nanoTime());
    }

    /**
     * CPU seconds per thread group since {@code start}, with the wall seconds between the two
     * snapshots under {@code wall}; groups in a fixed order, empty ones left out.
     *
     * @param appPrefix application id of the Kafka Streams app under test: its stream threads are
     *                  named after it
     */
    Map<String, Double> since(ThreadCpu start, String appPrefix) {
        Map<String, Double> byGroup = new LinkedHashMap<>();
        for (String group : GROUPS) {
            byGroup.put(group, 0.0);
        }
        cpuNanosByTid.forEach((tid, nanos) -> {
            long used = nanos - start.cpuNanosByTid.getOrDefault(tid, 0L);
            String group = group(nameByTid.get(tid), appPrefix);
            byGroup.merge(group, used / 1e9, Double::sum);
        });
        byGroup.put("wall", (takenNanos - start.takenNanos) / 1e9);
        byGroup.values().removeIf(v -> v == 0.0);
        return byGroup;
    }

    /**
     * CPU seconds of the system under test in a {@link #since} result: every group but the bench's own
     * load generator and reader (and the wall time).
     */
    static double busySeconds(Map<String, Double> groups) {
        return groups.entrySet().stream()
                .filter(e -> !e.getKey().equals("wall") && !e.getKey().equals("bench-load"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static final String[] GROUPS = {"decode", "inference", "outputs", "onnxruntime-pool", "stream-threads",
        "kafka-clients", "broker", "bench-load", "gc", "jit", "other"};

    static String group(String name, String appPrefix) {
        if (name == null) {
            return "other";
        }
        if (name.startsWith("strata-decode")) {
            return "decode";
        }
        if (name.startsWith("strata-inferenc")) {
            return "inference";
        }
        if (name.startsWith("strata-outputs")) {
            return "outputs";
        }
        if (name.startsWith(ENGINE_STARTER)) {
            return "onnxruntime-pool";
        }
        if (!appPrefix.isEmpty() && name.startsWith(appPrefix)) {
            return "stream-threads";
        }
        if (name.startsWith("kafka-producer") || name.startsWith("kafka-coordinat")
                || name.startsWith("consumer_backgr")) {
            return "kafka-clients";
        }
        if (name.startsWith("bench-")) {
            return "bench-load";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")
                || name.startsWith("ParGC")) {
            return "gc";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (name.startsWith("data-plane") || name.startsWith("kafka-network") || name.startsWith("broker-")
                || name.startsWith("controller-") || name.startsWith("kafka-") || name.startsWith("Replica")
                || name.startsWith("ExpirationReap") || name.startsWith("LogDirFailure")
                || name.startsWith("raft-") || name.startsWith("kafka-schedule") || name.startsWith("quorum")
                || name.startsWith("group-coordina") || name.startsWith("transaction")
                || name.startsWith("executor-") || name.startsWith("share-")) {
            return "broker";
        }
        return "other";
    }
}
