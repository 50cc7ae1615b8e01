package dev.warren.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpCodecBenchmarkTest
{
    @Test
    void shouldParseEncodeAndDecodeWhatItMeasures()
    {
        final HttpCodecBenchmark bench = new HttpCodecBenchmark();
        bench.setUp();

        assertEquals(HttpCodecBenchmark.REQUEST_HEAD.length() + "shop.example.com".length() + 1,
            bench.parseRequestHead());
        assertEquals(HttpCodecBenchmark.RESPONSE_HEAD.length() + 48213 + 200, bench.parseResponseHead());
        assertEquals(HttpCodecBenchmark.REQUEST_HEAD.length(), bench.encodeRequestHead());
        assertEquals(HttpCodecBenchmark.RESPONSE_HEAD.length(), bench.encodeResponseHead());
        assertEquals(HttpCodecBenchmark.BODY_LENGTH, bench.decodeChunkedBody());
    }

    @Test
    void shouldMeasureHeadsOfTheAdvertisedSize()
    {
        assertEquals(448, HttpCodecBenchmark.REQUEST_HEAD.length());
        assertEquals(248, HttpCodecBenchmark.RESPONSE_HEAD.length());
    }
}
