package dev.strata.processor.testing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Frames sent to a {@link TestApplication} at a steady rate from a background thread, until stopped. */
public final class FrameFeed implements AutoCloseable {

    private final TestApplication app;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> sending;

    private FrameFeed(TestApplication app, ScheduledExecutorService timer, Duration interval) {
        this.app = app;
        this.timer = timer;
        this.sending = timer.scheduleAtFixedRate(app::sendOne, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    public static FrameFeed start(TestApplication app, Duration interval) {
        return new FrameFeed(app, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "frame-feed-" + app.appId());
            thread.setDaemon(true);
            return thread;
        }), interval);
    }

    /** Stops sending and waits until the broker has every frame sent; fails if a send failed. */
    public void stop() {
        if (sending.isDone() && !sending.isCancelled()) {
            // A periodic task only ends early by throwing.
            try {
                sending.get();
            } catch (Exception e) {
                throw new AssertionError("the frame feed failed after " + app.sentCount() + " frames", e);
            }
        }
        sending.cancel(false);
        timer.shutdown();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the frame feed did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        app.flush();
    }

    @Override
    public void close() {
        if (!timer.isShutdown()) {
            stop();
        }
    }
}
