package dev.warren.loadgen.schedule;

/** Each request as soon as the previous one is complete. Stateless; thread-safe. */
public final class ClosedLoopSchedule implements Schedule
{
    public static final ClosedLoopSchedule INSTANCE = new ClosedLoopSchedule();

    private ClosedLoopSchedule()
    {
    }

    @Override
    public long intendedNs(final long sequence)
    {
        return AS_SOON_AS_POSSIBLE;
    }

    @Override
    public long countBetween(final long sequence, final long fromNs, final long toNs)
    {
        return 0;
    }
}
