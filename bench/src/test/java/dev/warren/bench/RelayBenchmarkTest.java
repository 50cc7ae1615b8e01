package dev.warren.bench;

import dev.warren.codec.tunnel.FrameHeader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayBenchmarkTest
{
    @Test
    void shouldRelayEachFrameToTheSinkAndGiveItsChunkBack() throws Exception
    {
        for (final int size : new int[]{64, 1024, 16384})
        {
            final RelayBenchmark bench = new RelayBenchmark();
            bench.payloadSize = size;
            bench.setUp();
            final int inUse = bench.pool.inUse();

            for (int i = 0; i < 100; i++)
            {
                assertEquals(FrameHeader.LENGTH + size, bench.relayDataFrame());
            }

            assertEquals(100L * (FrameHeader.LENGTH + size), bench.sink.bytesWritten());
            assertTrue(bench.outbound.isEmpty());
            assertEquals(inUse, bench.pool.inUse());
            bench.tearDown();
        }
    }
}
