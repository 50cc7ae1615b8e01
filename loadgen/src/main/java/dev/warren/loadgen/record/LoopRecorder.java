package dev.warren.loadgen.record;

import dev.warren.loadgen.target.ErrorKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one event loop measured: two latency recorders and a row of counters.
 * <ul>
 *   <li>latency: from each request's <em>intended</em> send time to its completion, the figure that is corrected for
 *       coordinated omission (in a closed loop the intended time is the actual one);</li>
 *   <li>service time: from the actual send to completion, what a tool that waits before sending would report.</li>
 * </ul>
 * <b>Threading.</b> One writer, the loop's thread: the recorders are HdrHistogram {@link SingleWriterRecorder}s and
 * the counters are published with ordered stores (no read-modify-write), so recording costs no lock and no CAS. Any
 * one other thread (the {@link ResultCollector}) may take interval histograms and read the counters at any time.
 */
public final class LoopRecorder
{
    /** Requests whose intended time fell in the measured window and that completed. */
    public static final int COMPLETED = 0;
    /** Bytes sent for the requests intended in the measured window (those of late warm-up requests are not). */
    public static final int BYTES_OUT = 1;
    /** Bytes received while measuring. */
    public static final int BYTES_IN = 2;
    /** Requests intended in the measured window that never went out: their connection was behind or down. */
    public static final int UNSENT = 3;
    /** {@link System#nanoTime()} of the latest completion counted in {@link #COMPLETED}. */
    public static final int LAST_COMPLETION_NS = 4;
    /** Errors during the warm-up, all kinds together (not held against the run). */
    public static final int WARMUP_ERRORS = 5;
    /** Every completed request, warm-up and drain included: what the live line's rate counts. */
    public static final int ALL_COMPLETED = 6;
    /** The first of {@link ErrorKind#COUNT} slots: errors while measuring, by kind. */
    public static final int ERRORS = 7;
    /**
     * {@code loadgen http}: the first of 5 slots, responses by status class ({@code 1xx} .. {@code 5xx}) of the
     * requests counted in {@link #COMPLETED}. See {@link #statusSlot(int)}.
     */
    public static final int STATUS = ERRORS + ErrorKind.COUNT;
    /** How many counters there are. */
    public static final int SLOTS = STATUS + 5;

    /** The slot that counts {@code status}'s class: 1xx .. 5xx. */
    public static int statusSlot(final int status)
    {
        return STATUS + Math.max(0, Math.min(4, status / 100 - 1));
    }

    private final SingleWriterRecorder latency = newRecorder();
    private final SingleWriterRecorder serviceTime = newRecorder();
    private final AtomicLongArray counters = new AtomicLongArray(SLOTS);
    private final AtomicReferenceArray<String> firstErrors = new AtomicReferenceArray<>(ErrorKind.COUNT);

    /** Loop thread. A request completed: its latency and service time. */
    public void recordCompletion(final long intendedNs, final long sentNs, final long doneNs)
    {
        latency.recordValue(LatencyHistograms.toMicros(doneNs - intendedNs));
        serviceTime.recordValue(LatencyHistograms.toMicros(doneNs - sentNs));
        counters.lazySet(COMPLETED, counters.get(COMPLETED) + 1);
        counters.lazySet(LAST_COMPLETION_NS, doneNs);
    }

    /** Loop thread. */
    public void add(final int slot, final long delta)
    {
        counters.lazySet(slot, counters.get(slot) + delta);
    }

    /** Loop thread. Keeps {@code detail} when it is the first error of its kind. */
    public void recordError(final int kind, final String detail, final boolean warmup)
    {
        add(warmup ? WARMUP_ERRORS : ERRORS + kind, 1);
        if (detail != null && firstErrors.get(kind) == null)
        {
            firstErrors.lazySet(kind, detail);
        }
    }

    /** Any thread. */
    public long get(final int slot)
    {
        return counters.get(slot);
    }

    /** Any thread. The first error's detail for {@code kind}, or null. */
    public String firstError(final int kind)
    {
        return firstErrors.get(kind);
    }

    /** The collector's thread. Latencies recorded since the last call; {@code recycle} may be null. */
    public Histogram takeLatency(final Histogram recycle)
    {
        return latency.getIntervalHistogram(recycle);
    }

    /** The collector's thread. Service times recorded since the last call; {@code recycle} may be null. */
    public Histogram takeServiceTime(final Histogram recycle)
    {
        return serviceTime.getIntervalHistogram(recycle);
    }

    private static SingleWriterRecorder newRecorder()
    {
        return new SingleWriterRecorder(
            LatencyHistograms.LOWEST_MICROS, LatencyHistograms.HIGHEST_MICROS, LatencyHistograms.SIGNIFICANT_DIGITS);
    }
}
