package dev.strata.processor.bench;

import java.time.Duration;

/**
 * What to do when other processes shared the CPUs during a measurement: the phase is measured again,
 * after a pause, up to {@code retries} times. The machine the figures come from is shared with other
 * work; a figure taken while that work ran measures the other work too.
 *
 * @param maxForeignCpus CPUs' worth of time other processes may use during a phase; infinity: no limit
 */
record QuietGuard(double maxForeignCpus, int retries, Duration pause) {

    static QuietGuard off() {
        return new QuietGuard(Double.POSITIVE_INFINITY, 0, Duration.ZERO);
    }

    /** Whether a phase with this much foreign load is measured again, on attempt {@code attempt} (from 0). */
    boolean retry(double foreignCpus, int attempt) {
        return foreignCpus > maxForeignCpus && attempt < retries;
    }

    void pause(BenchLog log, String what, double foreignCpus) throws InterruptedException {
        log.line(String.format("%s: other processes used %.2f CPUs (limit %.2f); measuring again in %d s", what,
                foreignCpus, maxForeignCpus, pause.toSeconds()));
        Thread.sleep(pause.toMillis());
    }
}
