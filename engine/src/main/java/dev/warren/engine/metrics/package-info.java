/**
 * Metrics and health (issue 8): counters kept off the relay path, a Prometheus text-format writer, and the
 * {@code metricsListen:} HTTP endpoint ({@code /metrics}, {@code /healthz}, {@code /readyz}).
 * <p>
 * Per-byte counters are plain {@code long} fields of a tunnel connection, written only by its event loop; a scrape
 * reads them by submitting a task to each loop ({@link dev.warren.engine.metrics.TunnelTotals} says how closed
 * connections are folded in). Per-stream counters (opened, failed by code, connect latency) change once per stream
 * and are thread-safe adders.
 */
package dev.warren.engine.metrics;
