package dev.warren.codec.http;

import dev.warren.codec.support.FencedBuffer;
import org.agrona.AsciiSequenceView;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpResponseHeadDecoderTest
{
    private final HttpResponseHeadDecoder decoder = new HttpResponseHeadDecoder();

    @Test
    void shouldDecodeAnInterimResponseThenTheFinalOneAfterReset()
    {
        final String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        final String last = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
        final byte[] bytes = (interim + last).getBytes(StandardCharsets.ISO_8859_1);
        final FencedBuffer buffer = FencedBuffer.exact(bytes);

        assertEquals(interim.length(), decoder.decode(buffer, 0, bytes.length));
        assertTrue(decoder.isInformational());
        assertEquals(BodyFraming.NONE, decoder.framing());

        decoder.reset();
        assertEquals(last.length(), decoder.decode(buffer, interim.length(), last.length()));
        assertFalse(decoder.isInformational());
        assertEquals(201, decoder.status());
        assertEquals("Created", decoder.reasonAsString());
        assertEquals(BodyFraming.CONTENT_LENGTH, decoder.framing());
        assertEquals(0, decoder.contentLength());
    }

    @Test
    void shouldKeepTheRequestMethodAcrossReset()
    {
        decoder.requestMethod(HttpMethod.HEAD);
        decode("HTTP/1.1 103 Early Hints\r\n\r\n");
        decoder.reset();

        decode("HTTP/1.1 200 OK\r\nContent-Length: 123\r\n\r\n");

        assertEquals(HttpMethod.HEAD, decoder.requestMethod());
        assertEquals(BodyFraming.NONE, decoder.framing());
        assertEquals(-1, decoder.contentLength());
        assertTrue(decoder.isKeepAlive());
    }

    @Test
    void shouldPointAViewAtTheReason()
    {
        decode("HTTP/1.0 503 Service Unavailable\r\n\r\n");

        assertEquals("Service Unavailable", decoder.reason(new AsciiSequenceView()).toString());
        assertEquals(13, decoder.reasonOffset());
        assertEquals(19, decoder.reasonLength());
        assertEquals(HttpVersion.HTTP_1_0, decoder.version());
        assertEquals(BodyFraming.UNTIL_CLOSE, decoder.framing());
        assertFalse(decoder.isKeepAlive());
    }

    @Test
    void shouldGiveAnEmptyReasonWhenItIsAbsent()
    {
        decode("HTTP/1.1 204\r\n\r\n");

        assertEquals(204, decoder.status());
        assertEquals(0, decoder.reasonLength());
        assertEquals("", decoder.reasonAsString());
    }

    @Test
    void shouldNeedMoreUntilTheFinalEmptyLine()
    {
        final String head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
        final byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);

        for (int length = 0; length < bytes.length; length++)
        {
            assertEquals(HttpHeadDecoder.NEED_MORE, decoder.decode(new FencedBuffer(bytes, 0, length), 0, length));
        }
        assertEquals(bytes.length, decoder.decode(FencedBuffer.exact(bytes), 0, bytes.length));
    }

    private void decode(final String head)
    {
        final byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(bytes.length, decoder.decode(FencedBuffer.exact(bytes), 0, bytes.length), decoder.errorReason());
    }
}
