package dev.strata.processor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was with work other than this process: all CPUs' busy time from
 * {@code /proc/stat} minus this process's CPU time from {@code /proc/self/stat}. Other engineers'
 * builds share this machine; a measurement taken while they ran says so.
 */
final class MachineLoad {

    private final long busyTicks;
    private final long ownTicks;
    private final long nanos;

    private MachineLoad(long busyTicks, long ownTicks, long nanos) {
        this.busyTicks = busyTicks;
        this.ownTicks = ownTicks;
        this.nanos = nanos;
    }

    static MachineLoad snapshot() {
        return new MachineLoad(machineBusyTicks(), ownTicks(), System.nanoTime());
    }

    /**
     * CPUs' worth of time used by other processes since {@code start} (both /proc files count in
     * the same clock ticks); {@code NaN} without /proc.
     */
    double foreignCpusSince(MachineLoad start) {
        if (busyTicks < 0 || start.busyTicks < 0) {
            return Double.NaN;
        }
        double seconds = (nanos - start.nanos) / 1e9;
        long foreign = (busyTicks - start.busyTicks) - (ownTicks - start.ownTicks);
        return Math.max(0, foreign / (double) TICKS_PER_SECOND / seconds);
    }

    /** The usual USER_HZ on Linux; both counters use it, only this conversion to seconds depends on it. */
    private static final int TICKS_PER_SECOND = 100;

    /** The 1-minute load average, or {@code NaN}. */
    static double loadAverage1m() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long machineBusyTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long total = 0;
                    // user nice system idle iowait irq softirq steal; guest time is already in user.
                    for (int i = 1; i <= 8 && i < f.length; i++) {
                        total += Long.parseLong(f[i]);
                    }
                    return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long ownTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
