package dev.warren.codec.http;

import dev.warren.codec.support.FencedBuffer;
import org.agrona.AsciiSequenceView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRequestHeadDecoderTest
{
    private static final String HEAD =
        "POST /api/v1/users?id=7 HTTP/1.1\r\n" +
        "Host: users.internal:8080\r\n" +
        "content-type:  application/json \t\r\n" +
        "Accept: text/html\r\n" +
        "X-Empty:\r\n" +
        "ACCEPT: */*\r\n" +
        "Content-Length: 2\r\n" +
        "\r\n";

    private final HttpRequestHeadDecoder decoder = new HttpRequestHeadDecoder();

    @Test
    void shouldRecordOffsetsIntoTheCallersBufferWithoutCopying()
    {
        final int offset = 13;
        final UnsafeBuffer buffer = placed(HEAD + "{}", offset);

        assertEquals(HEAD.length(), decoder.decode(buffer, offset, HEAD.length() + 2));

        assertSame(buffer, decoder.buffer());
        assertSame(buffer, decoder.headers().buffer());
        assertEquals(HttpMethod.POST, decoder.method());
        assertEquals(offset, decoder.methodOffset());
        assertEquals(4, decoder.methodLength());
        assertEquals(offset + 5, decoder.targetOffset());
        assertEquals("/api/v1/users?id=7", decoder.targetAsString());
        assertEquals(HttpVersion.HTTP_1_1, decoder.version());
        assertEquals(HEAD.indexOf("users.internal") + offset, decoder.headers().valueOffset(0));
        assertEquals(BodyFraming.CONTENT_LENGTH, decoder.framing());
        assertEquals(2, decoder.contentLength());
        assertTrue(decoder.isKeepAlive());
        assertEquals(HEAD.length(), decoder.headLength());
        assertTrue(decoder.isDone());
    }

    @Test
    void shouldTrimTheOptionalWhitespaceAroundAValue()
    {
        decode(HEAD);

        final int index = decoder.headers().indexOf(HttpHeaderName.CONTENT_TYPE);
        assertEquals(1, index);
        assertEquals("application/json", decoder.headers().valueAsString(index));
        assertEquals("content-type", decoder.headers().nameAsString(index));
        assertEquals("", decoder.headers().valueAsString(3));
        assertEquals(0, decoder.headers().valueLength(3));
    }

    @Test
    void shouldFindFieldsByNameInAnyCase()
    {
        decode(HEAD);
        final HttpFieldsDecoder headers = decoder.headers();

        assertEquals(0, headers.indexOf(HttpHeaderName.HOST));
        assertEquals(0, decoder.hostIndex());
        assertEquals(2, headers.indexOf(HttpHeaderName.ACCEPT));
        assertEquals(4, headers.indexOf(HttpHeaderName.ACCEPT, 3));
        assertEquals(-1, headers.indexOf(HttpHeaderName.ACCEPT, 5));
        assertEquals(-1, headers.indexOf(HttpHeaderName.COOKIE));
        assertTrue(headers.nameEquals(4, HttpHeaderName.ACCEPT));
        assertTrue(headers.valueEquals(4, "*/*"));
        assertFalse(headers.valueEquals(4, "*/x"));
        assertEquals("users.internal:8080", headers.valueAsString(HttpHeaderName.HOST));
        assertNull(headers.valueAsString(HttpHeaderName.COOKIE));
        assertEquals(6, headers.count());
    }

    @Test
    void shouldPointViewsAtTheBytesInPlace()
    {
        decode(HEAD);
        final AsciiSequenceView view = new AsciiSequenceView();

        assertEquals("/api/v1/users?id=7", decoder.target(view).toString());
        assertSame(decoder.buffer(), view.buffer());
        assertEquals("text/html", decoder.headers().value(2, view).toString());
        assertEquals("Accept", decoder.headers().name(2, view).toString());
        assertEquals(decoder.headers().nameOffset(2), view.offset());
    }

    @Test
    void shouldRefuseAnIndexOutsideTheFields()
    {
        decode(HEAD);

        assertThrows(IndexOutOfBoundsException.class, () -> decoder.headers().valueOffset(6));
        assertThrows(IndexOutOfBoundsException.class, () -> decoder.headers().nameAsString(-1));
    }

    @Test
    void shouldReturnTheHeadLengthAgainAndFollowTheHeadWhenItMoves()
    {
        decode(HEAD);
        final UnsafeBuffer moved = placed(HEAD, 100);

        assertEquals(HEAD.length(), decoder.decode(moved, 100, HEAD.length()));

        assertSame(moved, decoder.buffer());
        assertEquals(105, decoder.targetOffset());
        assertEquals("users.internal:8080", decoder.headers().valueAsString(0));
        assertEquals(HEAD.indexOf("users.internal") + 100, decoder.headers().valueOffset(0));
    }

    @Test
    void shouldResumeAfterTheHeadMovedBetweenPieces()
    {
        final byte[] bytes = HEAD.getBytes(StandardCharsets.ISO_8859_1);
        final int split = HEAD.indexOf("Accept");

        assertEquals(HttpHeadDecoder.NEED_MORE, decoder.decode(new UnsafeBuffer(bytes), 0, split));
        final UnsafeBuffer moved = placed(HEAD, 7);
        assertEquals(HEAD.length(), decoder.decode(moved, 7, HEAD.length()));

        assertEquals("text/html", decoder.headers().valueAsString(2));
        assertEquals("/api/v1/users?id=7", decoder.targetAsString());
    }

    @Test
    void shouldReadEachByteAFewTimesAtMostWhenTheHeadArrivesOneByteAtATime()
    {
        final String head = HEAD.replace("Accept: text/html", "X-Long: " + "v".repeat(2000));
        final CountingBuffer buffer = new CountingBuffer(head.getBytes(StandardCharsets.ISO_8859_1));

        for (int length = 1; length < head.length(); length++)
        {
            assertEquals(HttpHeadDecoder.NEED_MORE, decoder.decode(buffer, 0, length));
        }
        assertEquals(head.length(), decoder.decode(buffer, 0, head.length()));

        assertTrue(buffer.bytesRead <= 3L * head.length(), buffer.bytesRead + " bytes read for " + head.length());
    }

    @Test
    void shouldKeepItsErrorUntilReset()
    {
        assertEquals(HttpHeadDecoder.ERROR, decode("GET / HTTP/1.1\r\nHost : a\r\n\r\n"));
        assertEquals(400, decoder.errorStatus());
        assertEquals("whitespace between a field name and its colon", decoder.errorReason());

        assertEquals(HttpHeadDecoder.ERROR, decode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));

        decoder.reset();
        assertEquals(27, decode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertEquals(0, decoder.errorStatus());
    }

    @Test
    void shouldDecodeTheNextMessageAfterReset()
    {
        decode(HEAD);
        decoder.reset();

        assertFalse(decoder.isDone());
        assertEquals(0, decoder.headers().count());
        assertEquals(27, decode("GET /b HTTP/1.0\r\nX-A: 1\r\n\r\n"));
        assertEquals(HttpMethod.GET, decoder.method());
        assertEquals("/b", decoder.targetAsString());
        assertEquals(HttpVersion.HTTP_1_0, decoder.version());
        assertEquals(BodyFraming.NONE, decoder.framing());
        assertEquals(-1, decoder.contentLength());
        assertEquals(-1, decoder.hostIndex());
        assertEquals(1, decoder.headers().count());
    }

    @Test
    void shouldConsumeOnlyTheHead()
    {
        final String message = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\n";

        assertEquals(27, decode(message));
    }

    @Test
    void shouldNameExtensionMethodsOnDemand()
    {
        decode("PROPFIND /dav HTTP/1.1\r\nHost: a\r\n\r\n");

        assertEquals(HttpMethod.OTHER, decoder.method());
        assertEquals("PROPFIND", decoder.methodAsString());
    }

    @Test
    void shouldRecogniseEveryKnownMethod()
    {
        for (final HttpMethod method : HttpMethod.values())
        {
            if (method != HttpMethod.OTHER)
            {
                decoder.reset();
                decode(method.name() + " / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(method, decoder.method());
            }
        }
    }

    @Test
    void shouldSizeItsFieldArraysFromTheLimits()
    {
        final HttpRequestHeadDecoder small = new HttpRequestHeadDecoder(HttpLimits.DEFAULTS.withMaxHeaderCount(1));
        final byte[] bytes = "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(HttpHeadDecoder.ERROR, small.decode(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals(431, small.errorStatus());
        assertSame(HttpLimits.DEFAULTS.withMaxHeaderCount(1).maxHeaderCount(), small.limits().maxHeaderCount());
    }

    private int decode(final String head)
    {
        final byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return decoder.decode(FencedBuffer.exact(bytes), 0, bytes.length);
    }

    private static UnsafeBuffer placed(final String text, final int offset)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] array = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, array, offset, bytes.length);
        return new FencedBuffer(array, offset, array.length);
    }

    /** Counts the bytes read, to show that a head fed one byte at a time is not rescanned from its start. */
    static final class CountingBuffer extends UnsafeBuffer
    {
        long bytesRead;

        CountingBuffer(final byte[] bytes)
        {
            super(bytes);
        }

        @Override
        public byte getByte(final int index)
        {
            bytesRead++;
            return super.getByte(index);
        }

        @Override
        public long getLong(final int index)
        {
            bytesRead += Long.BYTES;
            return super.getLong(index);
        }

        @Override
        public void getBytes(final int index, final byte[] dst)
        {
            bytesRead += dst.length;
            super.getBytes(index, dst);
        }
    }

}
