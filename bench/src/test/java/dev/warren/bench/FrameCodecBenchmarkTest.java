package dev.warren.bench;

import dev.warren.codec.tunnel.FrameHeader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameCodecBenchmarkTest
{
    @Test
    void shouldDecodeEveryFrameOfEachBatch()
    {
        final FrameCodecBenchmark bench = new FrameCodecBenchmark();
        bench.setUp();

        assertEquals(bench.dataBatchLength - FrameCodecBenchmark.BATCH * FrameHeader.LENGTH, bench.decodeDataBatch());
        bench.decodeWindowUpdateAndPingBatch();
        assertEquals(2 * FrameHeader.LENGTH, bench.encodeDataHeaderAndWindowUpdate());
    }
}
