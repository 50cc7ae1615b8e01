package dev.warren.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandQueueBenchmarkTest
{
    @Test
    void shouldRunEachHandedOffCommandOnTheLoopAndStop() throws Exception
    {
        final CommandQueueBenchmark bench = new CommandQueueBenchmark();
        bench.setUp();
        try
        {
            for (int i = 1; i <= 100; i++)
            {
                assertEquals(i, bench.handOff());
            }
            assertEquals(100 + CommandQueueBenchmark.SMALL_BURST, bench.burst16());
            assertEquals(100 + CommandQueueBenchmark.SMALL_BURST + CommandQueueBenchmark.LARGE_BURST, bench.burst256());
            assertEquals(bench.sent, bench.done);
        }
        finally
        {
            bench.tearDown();
        }
        assertTrue(bench.loop.terminated().isDone());
        bench.loop.terminated().get(1, TimeUnit.SECONDS);
    }
}
