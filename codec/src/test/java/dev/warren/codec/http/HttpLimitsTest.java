package dev.warren.codec.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpLimitsTest
{
    @Test
    void shouldDefaultToTheDocumentedLimits()
    {
        assertEquals(8 * 1024, HttpLimits.DEFAULTS.maxRequestLine());
        assertEquals(32 * 1024, HttpLimits.DEFAULTS.maxHeaderBlock());
        assertEquals(100, HttpLimits.DEFAULTS.maxHeaderCount());
        assertEquals(1024, HttpLimits.DEFAULTS.maxChunkExtension());
        assertEquals(8 * 1024, HttpLimits.DEFAULTS.maxTrailerBlock());
        assertEquals(Long.MAX_VALUE, HttpLimits.DEFAULTS.maxChunkSize());
    }

    @Test
    void shouldNameAPropertyForEachLimit()
    {
        assertEquals("warren.http.maxRequestLine", HttpLimits.MAX_REQUEST_LINE_PROPERTY);
        assertEquals("warren.http.maxHeaderBlock", HttpLimits.MAX_HEADER_BLOCK_PROPERTY);
        assertEquals("warren.http.maxHeaderCount", HttpLimits.MAX_HEADER_COUNT_PROPERTY);
        assertEquals("warren.http.maxChunkExtension", HttpLimits.MAX_CHUNK_EXTENSION_PROPERTY);
        assertEquals("warren.http.maxTrailerBlock", HttpLimits.MAX_TRAILER_BLOCK_PROPERTY);
        assertEquals("warren.http.maxChunkSize", HttpLimits.MAX_CHUNK_SIZE_PROPERTY);
    }

    @Test
    void shouldChangeOneLimitAtATime()
    {
        final HttpLimits limits = HttpLimits.DEFAULTS.withMaxHeaderBlock(4096).withMaxChunkSize(1 << 20);

        assertEquals(4096, limits.maxHeaderBlock());
        assertEquals(1 << 20, limits.maxChunkSize());
        assertEquals(HttpLimits.DEFAULTS.maxRequestLine(), limits.maxRequestLine());
        assertEquals(HttpLimits.DEFAULTS.withMaxRequestLine(100).maxRequestLine(), 100);
        assertEquals(HttpLimits.DEFAULTS.withMaxHeaderCount(7).maxHeaderCount(), 7);
        assertEquals(HttpLimits.DEFAULTS.withMaxChunkExtension(0).maxChunkExtension(), 0);
        assertEquals(HttpLimits.DEFAULTS.withMaxTrailerBlock(2).maxTrailerBlock(), 2);
    }

    @Test
    void shouldRefuseLimitsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxRequestLine(15));
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxHeaderBlock(1));
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxHeaderCount(-1));
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxChunkExtension(-1));
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxTrailerBlock(0));
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.DEFAULTS.withMaxChunkSize(0));
    }
}
