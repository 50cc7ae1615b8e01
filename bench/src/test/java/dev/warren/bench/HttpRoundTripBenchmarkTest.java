package dev.warren.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRoundTripBenchmarkTest
{
    @Test
    void shouldCarryKeepAliveRequestsThroughTheFrontDoorWhole() throws Exception
    {
        final HttpRoundTripBenchmark bench = new HttpRoundTripBenchmark();
        bench.setUp();
        try
        {
            assertTrue(bench.responseLength > BenchHttpOrigin.BODY.length + 40, "a head and the body");
            for (int i = 0; i < 200; i++)
            {
                assertEquals('2', bench.httpRoundTrip());
            }
            // the last response, whole: the rewritten head (Via added) and the origin's body at its end
            final byte[] last = new byte[bench.responseLength];
            final java.nio.ByteBuffer copy = bench.responseBuffer().duplicate();
            copy.flip();
            copy.get(last);
            final String text = new String(last, StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 200 "), text);
            assertTrue(text.contains("\r\nVia: 1.1 warren\r\n"), text);
            assertTrue(text.endsWith(new String(BenchHttpOrigin.BODY, StandardCharsets.ISO_8859_1)), text);
            assertEquals(1, bench.edge.liveConnections(RoundTripBenchmark.TUNNEL));
        }
        finally
        {
            bench.tearDown();
        }
        assertEquals(0, bench.edge.liveConnections(RoundTripBenchmark.TUNNEL));
    }
}
