package dev.warren.loadgen.record;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * The shape of every latency histogram of a run: microseconds, 1 µs to 60 s, three significant digits (a value is
 * off by at most 0.1%). Longer values are recorded as 60 s. Stateless; thread-safe.
 */
public final class LatencyHistograms
{
    public static final long LOWEST_MICROS = 1;
    public static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms()
    {
    }

    public static Histogram newHistogram()
    {
        return new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** {@code nanos} as recordable microseconds: negative as 0, beyond the range as {@link #HIGHEST_MICROS}. */
    public static long toMicros(final long nanos)
    {
        if (nanos <= 0)
        {
            return 0;
        }
        return Math.min(HIGHEST_MICROS, nanos / 1000);
    }
}
