package dev.warren.codec.http;

import org.agrona.AsciiSequenceView;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpHeadEncoderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final HttpHeadEncoder encoder = new HttpHeadEncoder();

    @Test
    void shouldWriteARequestHead()
    {
        final int length = encoder.wrap(buffer, 3, 500)
            .requestLine(HttpMethod.POST, "/users?id=7")
            .header(HttpHeaderName.HOST, "users.internal")
            .header("X-Trace", "abc")
            .header(HttpHeaderName.of("X-Count"), 42)
            .contentLength(5)
            .end();

        assertEquals("POST /users?id=7 HTTP/1.1\r\nHost: users.internal\r\nX-Trace: abc\r\nX-Count: 42\r\n" +
            "Content-Length: 5\r\n\r\n", written(3, length));
        assertEquals(length, encoder.length());
    }

    @Test
    void shouldWriteAResponseHead()
    {
        final int length = encoder.wrap(buffer, 0, 512)
            .statusLine(404)
            .chunked()
            .connectionClose()
            .end();

        assertEquals("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            written(0, length));
    }

    @Test
    void shouldWriteAnInterim100Continue()
    {
        final int length = encoder.wrap(buffer, 0, 512).statusLine(100).end();

        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", written(0, length));
    }

    @Test
    void shouldWriteAnExtensionMethodAndAnEmptyReason()
    {
        int length = encoder.wrap(buffer, 0, 512).requestLine("PROPFIND", "/dav").header("Depth", "1").end();
        assertEquals("PROPFIND /dav HTTP/1.1\r\nDepth: 1\r\n\r\n", written(0, length));

        length = encoder.wrap(buffer, 0, 512).statusLine(299).end();
        assertEquals("HTTP/1.1 299 \r\n\r\n", written(0, length));
    }

    @Test
    void shouldWriteTheLastChunkWithTrailers()
    {
        final int length = encoder.wrap(buffer, 0, 512)
            .lastChunk()
            .header(HttpHeaderName.of("X-Checksum"), "c0ffee")
            .end();

        assertEquals("0\r\nX-Checksum: c0ffee\r\n\r\n", written(0, length));
        assertEquals("0\r\n\r\n", written(0, encoder.wrap(buffer, 0, 512).lastChunk().end()));
    }

    @Test
    void shouldTrimTheWhitespaceAroundAValue()
    {
        final int length = encoder.wrap(buffer, 0, 512).statusLine(200, "OK").header("X-A", " \t a b \t").end();

        assertEquals("HTTP/1.1 200 OK\r\nX-A: a b\r\n\r\n", written(0, length));
    }

    @Test
    void shouldCopyAFieldFromADecodedHead()
    {
        final byte[] head = "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
        final HttpRequestHeadDecoder decoder = new HttpRequestHeadDecoder();
        decoder.decode(new UnsafeBuffer(head), 0, head.length);
        final HttpFieldsDecoder fields = decoder.headers();

        final int length = encoder.wrap(buffer, 0, 512)
            .requestLine(HttpMethod.GET, decoder.target(new AsciiSequenceView()))
            .header(fields.buffer(), fields.nameOffset(1), fields.nameLength(1), fields.valueOffset(1),
                fields.valueLength(1))
            .header(HttpHeaderName.HOST, fields.value(0, new AsciiSequenceView()))
            .end();

        assertEquals("GET / HTTP/1.1\r\nX-Forwarded-For: 10.0.0.1\r\nHost: a\r\n\r\n", written(0, length));
    }

    @Test
    void shouldRefuseHeaderInjection()
    {
        encoder.wrap(buffer, 0, 512).requestLine(HttpMethod.GET, "/");

        assertThrows(IllegalArgumentException.class, () -> encoder.header("X-A", "a\r\nX-Evil: 1"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("X-A", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("X-A", "a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("X-A", "\u20ac"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("X A", "b"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("X:A", "b"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("", "b"));
    }

    @Test
    void shouldRefuseABadStartLine()
    {
        assertThrows(IllegalArgumentException.class,
            () -> encoder.wrap(buffer, 0, 512).requestLine(HttpMethod.GET, "/a b"));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.wrap(buffer, 0, 512).requestLine(HttpMethod.GET, ""));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.wrap(buffer, 0, 512).requestLine("G T", "/"));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.wrap(buffer, 0, 512).requestLine(HttpMethod.OTHER, "/"));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.wrap(buffer, 0, 512).statusLine(200, "OK\r\n"));
        assertThrows(IllegalArgumentException.class, () -> encoder.wrap(buffer, 0, 512).statusLine(600));
        assertThrows(IllegalArgumentException.class, () -> encoder.wrap(buffer, 0, 512).statusLine(99));
    }

    @Test
    void shouldWriteFramingOnlyThroughItsOwnMethodsAndOnce()
    {
        encoder.wrap(buffer, 0, 512).statusLine(200);

        assertThrows(IllegalArgumentException.class, () -> encoder.header(HttpHeaderName.CONTENT_LENGTH, "5"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("transfer-encoding", "chunked"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header(HttpHeaderName.of("Content-length"), 5));
        encoder.contentLength(5);
        assertThrows(IllegalStateException.class, encoder::chunked);
        assertThrows(IllegalStateException.class, () -> encoder.contentLength(6));
    }

    @Test
    void shouldRefuseFramingAndHostInTrailers()
    {
        encoder.wrap(buffer, 0, 512).lastChunk();

        assertThrows(IllegalStateException.class, () -> encoder.contentLength(1));
        assertThrows(IllegalStateException.class, encoder::chunked);
        assertThrows(IllegalStateException.class, encoder::connectionClose);
        assertThrows(IllegalArgumentException.class, () -> encoder.header(HttpHeaderName.HOST, "a"));
        assertThrows(IllegalArgumentException.class, () -> encoder.header("host", "a"));
    }

    @Test
    void shouldRefuseCallsOutOfOrder()
    {
        final HttpHeadEncoder fresh = new HttpHeadEncoder();
        assertThrows(IllegalStateException.class, () -> fresh.statusLine(200));

        encoder.wrap(buffer, 0, 512);
        assertThrows(IllegalStateException.class, () -> encoder.header("X-A", "b"));
        assertThrows(IllegalStateException.class, encoder::end);
        encoder.statusLine(200);
        assertThrows(IllegalStateException.class, () -> encoder.statusLine(200));
        encoder.end();
        assertThrows(IllegalStateException.class, () -> encoder.header("X-A", "b"));
        assertThrows(IllegalArgumentException.class, () -> encoder.wrap(buffer, 500, 13));
    }

    @Test
    void shouldReportOverflowAndWriteNothingPastTheLimit()
    {
        final UnsafeBuffer guarded = new UnsafeBuffer(new byte[64]);
        guarded.setMemory(0, 64, (byte)'#');

        for (int limit = 0; limit < 45; limit++)
        {
            final int length = encoder.wrap(guarded, 0, limit)
                .requestLine(HttpMethod.GET, "/overflow")
                .header(HttpHeaderName.HOST, "example.com")
                .contentLength(123)
                .end();

            assertEquals(HttpHeadEncoder.OVERFLOW, length, "limit " + limit);
            for (int i = limit; i < 64; i++)
            {
                assertEquals('#', guarded.getByte(i), "byte " + i + " untouched with limit " + limit);
            }
        }
    }

    @Test
    void shouldFitExactly()
    {
        final String expected = "GET /overflow HTTP/1.1\r\nHost: example.com\r\nContent-Length: 123\r\n\r\n";

        final int length = encoder.wrap(buffer, 0, expected.length())
            .requestLine(HttpMethod.GET, "/overflow")
            .header(HttpHeaderName.HOST, "example.com")
            .contentLength(123)
            .end();

        assertEquals(expected, written(0, length));
    }

    @Test
    void shouldNameTheCommonStatuses()
    {
        assertEquals("OK", HttpHeadEncoder.reasonPhrase(200));
        assertEquals("Request Header Fields Too Large", HttpHeadEncoder.reasonPhrase(431));
        assertEquals("", HttpHeadEncoder.reasonPhrase(299));
    }

    private String written(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
