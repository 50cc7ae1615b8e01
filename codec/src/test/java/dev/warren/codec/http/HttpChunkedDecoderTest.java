package dev.warren.codec.http;

import dev.warren.codec.support.FencedBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpChunkedDecoderTest
{
    private final HttpChunkedDecoder decoder = new HttpChunkedDecoder();

    @Test
    void shouldHandOutChunkDataAsSlicesOfTheCallersBuffer()
    {
        final FencedBuffer buffer = buffer("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        assertEquals(8, decoder.decode(buffer, 0, buffer.capacity()));
        assertEquals(3, decoder.dataOffset());
        assertEquals(5, decoder.dataLength());

        assertEquals(11, decoder.decode(buffer, 8, buffer.capacity() - 8));
        assertEquals(13, decoder.dataOffset());
        assertEquals(6, decoder.dataLength());
        assertEquals(" world", buffer.getStringWithoutLengthAscii(13, 6));

        assertEquals(7, decoder.decode(buffer, 19, buffer.capacity() - 19));
        assertEquals(0, decoder.dataLength());
        assertTrue(decoder.isComplete());
        assertEquals(0, decoder.trailers().count());
    }

    @Test
    void shouldHandOutAPartialChunkAndTheRestLater()
    {
        final FencedBuffer first = buffer("a\r\n01234");

        assertEquals(8, decoder.decode(first, 0, 8));
        assertEquals(5, decoder.dataLength());

        final FencedBuffer second = buffer("56789\r\n0\r\n\r\n");
        assertEquals(5, decoder.decode(second, 0, second.capacity()));
        assertEquals(0, decoder.dataOffset());
        assertEquals(5, decoder.dataLength());
        assertEquals(7, decoder.decode(second, 5, second.capacity() - 5));
        assertTrue(decoder.isComplete());
    }

    @Test
    void shouldNotConsumeATrailerSectionUntilItIsComplete()
    {
        final String body = "0\r\nX-Sum: 12\r\nX-Other: a\r\n\r\n";
        final FencedBuffer buffer = buffer(body);

        assertEquals(3, decoder.decode(buffer, 0, 10));
        assertFalse(decoder.isComplete());
        assertEquals(0, decoder.decode(buffer, 3, 12));
        assertEquals(body.length() - 3, decoder.decode(buffer, 3, body.length() - 3));

        assertTrue(decoder.isComplete());
        assertEquals(2, decoder.trailers().count());
        assertEquals("12", decoder.trailers().valueAsString(0));
        assertEquals(0, decoder.trailers().indexOf(HttpHeaderName.of("x-sum")));
        assertEquals(5, decoder.trailers().valueOffset(0) - decoder.trailers().nameOffset(0) - 2);
    }

    @Test
    void shouldStopAtTheEndOfTheBody()
    {
        final FencedBuffer buffer = buffer("0\r\n\r\nGET / HTTP/1.1\r\n");

        assertEquals(5, decoder.decode(buffer, 0, buffer.capacity()));
        assertTrue(decoder.isComplete());
        assertEquals(0, decoder.decode(buffer, 5, buffer.capacity() - 5));
    }

    @Test
    void shouldRefuseAChunkSizeOverTheLimitFromItsDigitsAlone()
    {
        final HttpChunkedDecoder limited = new HttpChunkedDecoder(HttpLimits.DEFAULTS.withMaxChunkSize(4096));
        final FencedBuffer buffer = buffer("1001");

        assertEquals(HttpChunkedDecoder.ERROR, limited.decode(buffer, 0, 4));
        assertEquals(400, limited.errorStatus());
        assertEquals("chunk larger than 4096 bytes", limited.errorReason());
    }

    @Test
    void shouldAcceptTheLargestChunkSizeAndRefuseOneMore()
    {
        assertEquals(18, decoder.decode(buffer("7FFFFFFFFFFFFFFF\r\n"), 0, 18));
        assertFalse(decoder.isComplete());

        decoder.reset();
        assertEquals(HttpChunkedDecoder.ERROR, decoder.decode(buffer("8000000000000000"), 0, 16));
        assertEquals("chunk size too large", decoder.errorReason());
    }

    @Test
    void shouldKeepItsErrorUntilReset()
    {
        assertEquals(HttpChunkedDecoder.ERROR, decoder.decode(buffer("x"), 0, 1));
        assertEquals(HttpChunkedDecoder.ERROR, decoder.decode(buffer("0\r\n\r\n"), 0, 5));

        decoder.reset();
        assertEquals(5, decoder.decode(buffer("0\r\n\r\n"), 0, 5));
        assertTrue(decoder.isComplete());
    }

    @Test
    void shouldConsumeNothingFromNoBytes()
    {
        assertEquals(0, decoder.decode(new UnsafeBuffer(new byte[0]), 0, 0));
        assertEquals(0, decoder.dataLength());
        assertFalse(decoder.isComplete());
    }

    private static FencedBuffer buffer(final String text)
    {
        return FencedBuffer.exact(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
