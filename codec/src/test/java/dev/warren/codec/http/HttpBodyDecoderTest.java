package dev.warren.codec.http;

import dev.warren.codec.support.FencedBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpBodyDecoderTest
{
    private final HttpBodyDecoder decoder = new HttpBodyDecoder();

    @Test
    void shouldCountOutAContentLengthBodyAndLeaveWhatFollows()
    {
        decoder.reset(BodyFraming.CONTENT_LENGTH, 7);
        final FencedBuffer buffer = buffer("abcdefgNEXT");

        assertEquals(4, decoder.decode(buffer, 0, 4));
        assertEquals(0, decoder.dataOffset());
        assertEquals(4, decoder.dataLength());
        assertFalse(decoder.isComplete());

        assertEquals(3, decoder.decode(buffer, 4, 7));
        assertEquals(4, decoder.dataOffset());
        assertEquals(3, decoder.dataLength());
        assertTrue(decoder.isComplete());

        assertEquals(0, decoder.decode(buffer, 7, 4));
        assertEquals(0, decoder.dataLength());
    }

    @Test
    void shouldBeCompleteAtOnceWithoutABody()
    {
        assertTrue(decoder.reset(BodyFraming.NONE, -1).isComplete());
        assertTrue(decoder.reset(BodyFraming.CONTENT_LENGTH, 0).isComplete());
        assertEquals(0, decoder.decode(buffer("GET"), 0, 3));
        assertEquals(0, decoder.endOfInput());
    }

    @Test
    void shouldReadUntilTheInputEnds()
    {
        decoder.reset(BodyFraming.UNTIL_CLOSE, -1);
        final FencedBuffer buffer = buffer("everything");

        assertEquals(10, decoder.decode(buffer, 0, 10));
        assertEquals(10, decoder.dataLength());
        assertFalse(decoder.isComplete());

        assertEquals(0, decoder.endOfInput());
        assertTrue(decoder.isComplete());
    }

    @Test
    void shouldRefuseABodyCutShort()
    {
        decoder.reset(BodyFraming.CONTENT_LENGTH, 10);
        decoder.decode(buffer("abc"), 0, 3);

        assertEquals(HttpBodyDecoder.ERROR, decoder.endOfInput());
        assertEquals(400, decoder.errorStatus());
        assertEquals(HttpBodyDecoder.ERROR, decoder.decode(buffer("defghij"), 0, 7));
    }

    @Test
    void shouldTakeItsFramingFromAHead()
    {
        final HttpResponseHeadDecoder head = new HttpResponseHeadDecoder();
        final byte[] bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
        final FencedBuffer buffer = FencedBuffer.exact(bytes);
        final int headLength = head.decode(buffer, 0, bytes.length);

        decoder.reset(head);

        assertEquals(BodyFraming.CHUNKED, decoder.framing());
        assertEquals(6, decoder.decode(buffer, headLength, bytes.length - headLength));
        assertEquals(3, decoder.dataLength());
        assertEquals(7, decoder.decode(buffer, headLength + 6, bytes.length - headLength - 6));
        assertTrue(decoder.isComplete());
        assertEquals(0, decoder.trailers().count());
    }

    @Test
    void shouldRefuseANegativeContentLength()
    {
        assertThrows(IllegalArgumentException.class, () -> decoder.reset(BodyFraming.CONTENT_LENGTH, -1));
    }

    private static FencedBuffer buffer(final String text)
    {
        return FencedBuffer.exact(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
