package dev.warren.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTripBenchmarkTest
{
    @Test
    void shouldEchoEachPayloadThroughTheTunnelAndCloseEverything() throws Exception
    {
        for (final int size : new int[]{64, 1024})
        {
            final RoundTripBenchmark bench = new RoundTripBenchmark();
            bench.payload = size;
            bench.setUp();
            try
            {
                for (int i = 1; i <= 50; i++)
                {
                    assertEquals((long)i * size, i % 2 == 0 ? bench.roundTrip() : bench.roundTripThroughput());
                }
                assertEquals(50L * size, bench.reader.received);
                assertNull(bench.reader.failure);
                assertEquals(1, bench.echo.accepted());
            }
            finally
            {
                bench.tearDown();
            }
            assertTrue(bench.socket.closed().isDone());
            assertTrue(bench.echo.stopped());
            assertEquals(0, bench.edge.liveConnections(RoundTripBenchmark.TUNNEL));
        }
    }
}
