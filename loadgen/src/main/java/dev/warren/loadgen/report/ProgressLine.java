package dev.warren.loadgen.report;

import dev.warren.loadgen.record.LoopRecorder;
import dev.warren.loadgen.record.ResultCollector;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live line printed once a second while a run goes: seconds so far, the rate of the last second against the
 * target, errors, and p50/p99 of the latency so far.
 * <p>
 * <b>Threading.</b> One thread, the one running the load; not thread-safe.
 */
public final class ProgressLine
{
    private final PrintStream out;
    private final double targetRate;
    private long lastCompleted;
    private long lastNs;

    /** @param targetRate requests per second asked for; 0 for a closed loop. */
    public ProgressLine(final PrintStream out, final double targetRate)
    {
        this.out = out;
        this.targetRate = targetRate;
    }

    /** The run starts now. */
    public void start(final long nowNs)
    {
        lastNs = nowNs;
        lastCompleted = 0;
    }

    /**
     * @param elapsedNs since the run began.
     * @param warmup    still in the warm-up.
     * @param collector collected just before.
     */
    public void print(final long nowNs, final long elapsedNs, final boolean warmup, final ResultCollector collector)
    {
        final long completed = collector.sum(LoopRecorder.ALL_COMPLETED);
        final double seconds = Math.max(1e-9, (nowNs - lastNs) / 1e9);
        final double rate = (completed - lastCompleted) / seconds;
        lastCompleted = completed;
        lastNs = nowNs;

        final StringBuilder line = new StringBuilder(120)
            .append(String.format(Locale.ROOT, "loadgen %4ds  ", Math.round(elapsedNs / 1e9)));
        line.append(String.format(Locale.ROOT, "rate %.0f/s", rate));
        if (targetRate > 0)
        {
            line.append(String.format(Locale.ROOT, " (target %.0f)", targetRate));
        }
        if (warmup)
        {
            line.append("  warm-up, errors ").append(collector.sum(LoopRecorder.WARMUP_ERRORS));
        }
        else
        {
            line.append("  errors ").append(collector.errors());
            if (collector.latency().getTotalCount() > 0)
            {
                line.append("  p50 ").append(TextReport.millis(collector.latency().getValueAtPercentile(50)))
                    .append(" ms  p99 ").append(TextReport.millis(collector.latency().getValueAtPercentile(99)))
                    .append(" ms");
            }
        }
        out.println(line);
        out.flush();
    }
}
