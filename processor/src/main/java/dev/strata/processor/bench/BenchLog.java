package dev.strata.processor.bench;

import java.io.PrintStream;

/** Progress lines on stderr, so stdout carries only the report. */
final class BenchLog {

    private final PrintStream out;
    private final long start = System.nanoTime();

    BenchLog(PrintStream out) {
        this.out = out;
    }

    void line(String text) {
        out.printf("[bench %6.1fs] %s%n", (System.nanoTime() - start) / 1e9, text);
        out.flush();
    }
}
