package dev.strata.processor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM for a command that cleans up on its own thread: the JVM's shutdown hook
 * tells the command to stop, then holds the JVM until the command says it is done (or the grace
 * period runs out), so nothing is torn down under the command's feet.
 */
public final class StopSignal implements AutoCloseable {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;

    private StopSignal(String name, Runnable onSignal, Duration grace) {
        hook = new Thread(() -> {
            signalled = true;
            requested.countDown();
            onSignal.run();
            try {
                done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
    }

    /** Installs a signal whose command notices it through {@link #await(Duration)} or {@link #signalled()}. */
    public static StopSignal install(String name, Duration grace) {
        return install(name, () -> { }, grace);
    }

    /**
     * @param onSignal runs on the hook thread when a signal arrives: wake the command up
     * @param grace    how long the command may take to clean up after a signal
     */
    public static StopSignal install(String name, Runnable onSignal, Duration grace) {
        StopSignal signal = new StopSignal(name, onSignal, grace);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Waits for a signal; true if one came within {@code timeout}. */
    public boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether Ctrl-C or SIGTERM arrived. */
    public boolean signalled() {
        return signalled;
    }

    /** The command has cleaned up: lets the JVM exit after a signal, else removes the hook. */
    @Override
    public void close() {
        done.countDown();
        if (!signalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is exiting for another reason; the hook runs and returns at once.
            }
        }
    }
}
