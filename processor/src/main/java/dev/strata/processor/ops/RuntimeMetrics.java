package dev.strata.processor.ops;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;

/**
 * JVM and process meters. Inference runs in native memory the heap does not show, so besides
 * Micrometer's JVM binders (heap and non-heap pools, the direct and mapped buffer pools, GC,
 * threads, classes, CPU) the Prometheus Java client's process collector reports the resident set
 * size, read from {@code /proc/self/status} on Linux ({@code process_resident_memory_bytes}; the
 * series is absent elsewhere), with open file descriptors and CPU seconds.
 */
public final class RuntimeMetrics implements AutoCloseable {

    private final JvmGcMetrics gc;

    private RuntimeMetrics(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds them all; call after the registry's common tags are set. */
    public static RuntimeMetrics bindTo(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // A collector of the client Micrometer's registry is built on: scraped with the rest,
        // without the common tags (the process is the same whatever the model).
        ProcessMetrics.builder().register(registry.getPrometheusRegistry());
        return new RuntimeMetrics(gc);
    }

    /** Stops listening for GC notifications. */
    @Override
    public void close() {
        gc.close();
    }
}
