package dev.warren.engine.metrics;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** JVM and process basics for a scrape. Stateless; thread-safe. */
public final class ProcessMetrics
{
    private ProcessMetrics()
    {
    }

    public static void write(final PrometheusWriter writer)
    {
        writer.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch.")
            .sample("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        writer.family("jvm_memory_used_bytes", "gauge", "Used bytes of a JVM memory area.")
            .sample("jvm_memory_used_bytes", memory.getHeapMemoryUsage().getUsed(), "area", "heap")
            .sample("jvm_memory_used_bytes", memory.getNonHeapMemoryUsage().getUsed(), "area", "nonheap");
        writer.family("jvm_threads_current", "gauge", "Live JVM threads.")
            .sample("jvm_threads_current", ManagementFactory.getThreadMXBean().getThreadCount());
        final String[] fds = new File("/proc/self/fd").list();
        if (fds != null)
        {
            writer.family("process_open_fds", "gauge", "Open file descriptors.")
                .sample("process_open_fds", fds.length);
        }
    }
}
