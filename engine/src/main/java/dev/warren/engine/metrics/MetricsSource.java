package dev.warren.engine.metrics;

/** What a {@link MetricsServer} serves: an edge or a connector. Called on the server's thread. */
public interface MetricsSource
{
    /** Appends this runtime's families (the server adds the process ones). */
    void writeMetrics(PrometheusWriter writer);

    /** @return null when ready, else why not (for {@code /readyz}'s 503 body). */
    String notReady();
}
