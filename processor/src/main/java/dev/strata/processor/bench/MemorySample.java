package dev.strata.processor.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The process's memory at one moment, in MiB.
 *
 * @param rssAnon     anonymous resident memory (/proc/self/status RssAnon): Java heap, JVM native
 *                    memory and everything native libraries (ONNX Runtime) allocate; what grows on a leak
 * @param rssFile     file-backed resident memory: mapped jars, libraries and the broker's log indexes
 * @param nmtCommitted the JVM's own native memory tracking total (heap included), or -1 when the JVM
 *                    runs without {@code -XX:NativeMemoryTracking=summary}
 * @param heapUsed    Java heap in use (moves with garbage collection)
 * @param heapCommitted Java heap committed
 * @param direct      direct byte buffers
 */
record MemorySample(double seconds, long frames, double rssAnon, double rssFile, double nmtCommitted,
                    double heapUsed, double heapCommitted, double direct) {

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final double MIB = 1024.0 * 1024.0;

    static MemorySample take(double seconds, long frames) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return new MemorySample(seconds, frames, statusKb("RssAnon") / 1024.0, statusKb("RssFile") / 1024.0,
                nmtCommittedKb() / 1024.0, heap.getUsed() / MIB, heap.getCommitted() / MIB, direct / MIB);
    }

    private static double statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Double.parseDouble(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The {@code jcmd <pid> VM.native_memory summary} total, asked of this JVM directly. */
    private static double nmtCommittedKb() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = NMT_TOTAL.matcher(String.valueOf(out));
            return m.find() ? Double.parseDouble(m.group(2)) : -1024;
        } catch (JMException | RuntimeException e) {
            return -1024;
        }
    }
}
