package dev.strata.processor.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Runs a piece of work on a thread of a given name and waits for it. */
final class NamedThread {

    private NamedThread() {
    }

    /**
     * Calls {@code work} on a new thread named {@code name}. Native threads started by the work (ONNX
     * Runtime's pool) inherit the name, which is how {@link ThreadCpu} tells them apart.
     */
    static <T> T call(String name, Callable<T> work) throws InterruptedException {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
