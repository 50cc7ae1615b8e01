package dev.warren.engine.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Time from {@code connect()} to {@code opened} for one binding, exposed as a Prometheus histogram with fixed
 * buckets computed from an HdrHistogram at scrape time. Recording is thread-safe and wait-free ({@link Recorder});
 * {@link #write} is serialised.
 */
public final class ConnectLatency
{
    /** Bucket upper bounds in seconds. */
    static final double[] BUCKETS_SECONDS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(10);

    private final Recorder recorder = new Recorder(1000, HIGHEST_NS, 2);
    private final LongAdder sumNs = new LongAdder();
    private final Histogram total = new Histogram(1000, HIGHEST_NS, 2);
    private Histogram interval;

    public void record(final long nanos)
    {
        final long clamped = Math.max(1000, Math.min(HIGHEST_NS, nanos));
        recorder.recordValue(clamped);
        sumNs.add(nanos);
    }

    /** Writes {@code name_bucket}, {@code name_sum} and {@code name_count} samples with {@code labels}. */
    public synchronized void write(final PrometheusWriter writer, final String name, final String... labels)
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        final String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        for (final double bound : BUCKETS_SECONDS)
        {
            final long boundNs = (long)(bound * 1e9);
            withLe[labels.length + 1] = PrometheusWriter.bound(bound);
            writer.sample(name + "_bucket", total.getCountBetweenValues(0, boundNs), withLe);
        }
        withLe[labels.length + 1] = "+Inf";
        writer.sample(name + "_bucket", total.getTotalCount(), withLe);
        writer.sample(name + "_sum", sumNs.sum() / 1e9, labels);
        writer.sample(name + "_count", total.getTotalCount(), labels);
    }
}
