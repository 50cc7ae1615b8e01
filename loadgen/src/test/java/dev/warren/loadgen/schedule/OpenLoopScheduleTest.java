package dev.warren.loadgen.schedule;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopScheduleTest
{
    @Test
    void shouldSpreadTheRateEvenlyOverConnections()
    {
        final int connections = 4;
        final OpenLoopSchedule[] schedules = new OpenLoopSchedule[connections];
        for (int i = 0; i < connections; i++)
        {
            schedules[i] = new OpenLoopSchedule(1_000, 1_000, connections, i);
        }
        // 1,000 req/s: the run's request j at 1,000 + j ms; connection i has j = 4k + i.
        for (int k = 0; k < 5; k++)
        {
            for (int i = 0; i < connections; i++)
            {
                assertEquals(1_000 + (4L * k + i) * 1_000_000, schedules[i].intendedNs(k));
            }
        }
    }

    @Test
    void shouldNotDriftOverALongRun()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 3_000, 1, 0); // a period of 333,333.3 ns
        assertEquals(3_600_000_000_000L, schedule.intendedNs(3_000L * 3_600), 1); // one hour later, to the ns
    }

    @Test
    void shouldRefuseARateThatIsNotPositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 10, 2, 2));
    }

    @Test
    void shouldCountTheRequestsOfAWindow()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 2_000, 10, 3); // every 5 ms from 1.5 ms
        assertEquals(200, schedule.countBetween(0, 0, 1_000_000_000L));
        assertEquals(0, schedule.countBetween(200, 0, 1_000_000_000L));
        assertEquals(100, schedule.countBetween(0, 500_000_000L, 1_000_000_000L));
        assertEquals(100, schedule.countBetween(150, 500_000_000L, 1_000_000_000L) + 50);
    }

    @Property(tries = 300)
    void shouldCountExactlyWhatTheScheduleIntends(
        @ForAll @IntRange(min = 1, max = 7) final int connections,
        @ForAll @IntRange(min = 0, max = 6) final int index,
        @ForAll @IntRange(min = 1, max = 100_000) final int rate,
        @ForAll @LongRange(min = -1_000, max = 5_000) final long fromMicros,
        @ForAll @LongRange(min = 0, max = 5_000) final long lengthMicros,
        @ForAll @IntRange(min = 0, max = 50) final int sequence)
    {
        final int i = index % connections;
        final long startNs = 123_456;
        final OpenLoopSchedule schedule = new OpenLoopSchedule(startNs, rate, connections, i);
        final long fromNs = startNs + fromMicros * 1_000;
        final long toNs = fromNs + lengthMicros * 1_000;
        long expected = 0;
        for (long k = sequence; schedule.intendedNs(k) < toNs; k++)
        {
            if (schedule.intendedNs(k) >= fromNs)
            {
                expected++;
            }
        }
        assertEquals(expected, schedule.countBetween(sequence, fromNs, toNs));
        assertTrue(schedule.intendedNs(sequence + 1) > schedule.intendedNs(sequence));
    }

    @Test
    void shouldIntendNothingInAClosedLoop()
    {
        assertEquals(Schedule.AS_SOON_AS_POSSIBLE, ClosedLoopSchedule.INSTANCE.intendedNs(7));
        assertEquals(0, ClosedLoopSchedule.INSTANCE.countBetween(0, 0, Long.MAX_VALUE));
    }
}
