package dev.warren.loadgen.report;

import org.HdrHistogram.Histogram;

/**
 * The percentiles every summary shows: p50, p75, p90, p99, p99.9, p99.99, and the maximum. Stateless; thread-safe.
 */
public final class SummaryPercentiles
{
    private static final double[] LEVELS = {50, 75, 90, 99, 99.9, 99.99};
    private static final String[] NAMES = {"p50", "p75", "p90", "p99", "p99.9", "p99.99", "max"};

    private SummaryPercentiles()
    {
    }

    /** How many columns: the percentiles and the maximum. */
    public static int count()
    {
        return NAMES.length;
    }

    /** {@code p50} ... {@code max}. */
    public static String name(final int index)
    {
        return NAMES[index];
    }

    /** The value of column {@code index} in {@code histogram}'s unit (the maximum for the last). */
    public static long value(final Histogram histogram, final int index)
    {
        if (index == LEVELS.length)
        {
            return histogram.getMaxValue();
        }
        return histogram.getValueAtPercentile(LEVELS[index]);
    }
}
