package dev.warren.loadgen.schedule;

/**
 * A constant total rate spread evenly over {@code connections}: the run's requests are numbered
 * {@code j = 0, 1, 2, ...} at {@code startNs + j / rate}, and connection {@code i} sends those with
 * {@code j mod connections == i}. Each connection so runs at {@code rate / connections}, the connections are evenly
 * staggered, and every time is computed from the origin (never by adding intervals), so the rate does not drift.
 * Immutable; thread-safe.
 */
public final class OpenLoopSchedule implements Schedule
{
    private final long startNs;
    private final double periodNs;
    private final int connections;
    private final int index;

    /**
     * @param startNs     when the run's request 0 is intended.
     * @param rate        requests per second for all connections together.
     * @param connections how many connections share the rate.
     * @param index       this connection, {@code 0 <= index < connections}.
     */
    public OpenLoopSchedule(final long startNs, final double rate, final int connections, final int index)
    {
        if (!(rate > 0) || Double.isInfinite(rate))
        {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        if (index < 0 || index >= connections)
        {
            throw new IllegalArgumentException("index " + index + " of " + connections);
        }
        this.startNs = startNs;
        this.periodNs = 1e9 / rate;
        this.connections = connections;
        this.index = index;
    }

    @Override
    public long intendedNs(final long sequence)
    {
        return startNs + (long)((sequence * connections + index) * periodNs);
    }

    @Override
    public long countBetween(final long sequence, final long fromNs, final long toNs)
    {
        if (toNs - fromNs <= 0)
        {
            return 0;
        }
        final long first = Math.max(sequence, firstAtOrAfter(fromNs));
        final long end = Math.max(sequence, firstAtOrAfter(toNs));
        return Math.max(0, end - first);
    }

    /** The smallest sequence whose intended time is at or after {@code timeNs} (estimated, then made exact). */
    private long firstAtOrAfter(final long timeNs)
    {
        long sequence = Math.max(0, (long)Math.ceil(((timeNs - startNs) / periodNs - index) / connections));
        while (sequence > 0 && intendedNs(sequence - 1) - timeNs >= 0)
        {
            sequence--;
        }
        while (intendedNs(sequence) - timeNs < 0)
        {
            sequence++;
        }
        return sequence;
    }
}
