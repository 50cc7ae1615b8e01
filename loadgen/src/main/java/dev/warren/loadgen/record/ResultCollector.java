package dev.warren.loadgen.record;

import dev.warren.loadgen.target.ErrorKind;
import org.HdrHistogram.Histogram;

/**
 * Merges the {@link LoopRecorder}s of a run: each {@link #collect()} moves what every loop recorded since the last one
 * into the run's two histograms, so that they always hold the run so far (the live line reads them, the final report
 * too). Counters are summed on demand.
 * <p>
 * <b>Threading.</b> One thread (the one running the load and printing its progress); not thread-safe.
 */
public final class ResultCollector
{
    private final LoopRecorder[] recorders;
    private final Histogram[] latencyIntervals;
    private final Histogram[] serviceIntervals;
    private final Histogram latency = LatencyHistograms.newHistogram();
    private final Histogram serviceTime = LatencyHistograms.newHistogram();

    public ResultCollector(final LoopRecorder[] recorders)
    {
        this.recorders = recorders.clone();
        this.latencyIntervals = new Histogram[recorders.length];
        this.serviceIntervals = new Histogram[recorders.length];
    }

    /** Takes every loop's interval histograms into the totals. */
    public void collect()
    {
        for (int i = 0; i < recorders.length; i++)
        {
            latencyIntervals[i] = recorders[i].takeLatency(latencyIntervals[i]);
            latency.add(latencyIntervals[i]);
            serviceIntervals[i] = recorders[i].takeServiceTime(serviceIntervals[i]);
            serviceTime.add(serviceIntervals[i]);
        }
    }

    /** Latency from intended send time, microseconds, as of the last {@link #collect()}. */
    public Histogram latency()
    {
        return latency;
    }

    /** Service time from actual send, microseconds, as of the last {@link #collect()}. */
    public Histogram serviceTime()
    {
        return serviceTime;
    }

    /** A counter summed over the loops. */
    public long sum(final int slot)
    {
        long sum = 0;
        for (final LoopRecorder recorder : recorders)
        {
            sum += recorder.get(slot);
        }
        return sum;
    }

    /** The largest value of a counter over the loops. */
    public long max(final int slot)
    {
        long max = Long.MIN_VALUE;
        for (final LoopRecorder recorder : recorders)
        {
            max = Math.max(max, recorder.get(slot));
        }
        return max;
    }

    /** Errors while measuring, all kinds. */
    public long errors()
    {
        long sum = 0;
        for (int kind = 0; kind < ErrorKind.COUNT; kind++)
        {
            sum += sum(LoopRecorder.ERRORS + kind);
        }
        return sum;
    }

    /** The first detail any loop kept for {@code kind}, or null. */
    public String firstError(final int kind)
    {
        for (final LoopRecorder recorder : recorders)
        {
            final String detail = recorder.firstError(kind);
            if (detail != null)
            {
                return detail;
            }
        }
        return null;
    }
}
