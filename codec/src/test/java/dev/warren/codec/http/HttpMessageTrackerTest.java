package dev.warren.codec.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay's view of message boundaries: whatever the pieces, the tracker claims exactly the message's bytes, not one
 * of what follows, and says whether the connection may carry another.
 */
class HttpMessageTrackerTest
{
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: n\r\n\r\n";

    static Stream<Arguments> requests()
    {
        return Stream.of(
            Arguments.of("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
            Arguments.of("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", true),
            Arguments.of("POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Sum: 9\r\nX-Other: y\r\n\r\n", true),
            Arguments.of("PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false),
            Arguments.of("GET / HTTP/1.0\r\n\r\n", false),
            Arguments.of("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
            Arguments.of("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc", true));
    }

    static Stream<Arguments> responses()
    {
        return Stream.of(
            Arguments.of(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", true),
            Arguments.of(HttpMethod.GET, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", true),
            Arguments.of(HttpMethod.GET, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n" +
                "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", true),
            Arguments.of(HttpMethod.HEAD, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", true),
            Arguments.of(HttpMethod.GET, "HTTP/1.1 204 No Content\r\n\r\n", true),
            Arguments.of(HttpMethod.GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 77\r\n\r\n", true),
            Arguments.of(HttpMethod.GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", false),
            Arguments.of(HttpMethod.GET, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void shouldClaimExactlyTheRequestWhateverThePieces(final String message, final boolean keepAlive)
    {
        for (int seed = 0; seed < 300; seed++)
        {
            final HttpMessageTracker tracker = HttpMessageTracker.requests(HttpLimits.DEFAULTS);
            assertEquals(message.length(), feed(tracker, message + NEXT, new Random(seed)), message);
            assertTrue(tracker.isDone());
            assertEquals(keepAlive, tracker.isKeepAlive(), message);
        }
    }

    @ParameterizedTest
    @MethodSource("responses")
    void shouldClaimExactlyTheResponseWhateverThePieces(
        final HttpMethod method, final String message, final boolean keepAlive)
    {
        final HttpMessageTracker tracker = HttpMessageTracker.responses(HttpLimits.DEFAULTS);
        for (int seed = 0; seed < 300; seed++)
        {
            tracker.reset().forResponseTo(method); // reused, as a pool reuses it
            assertEquals(message.length(), feed(tracker, message + "HTTP/1.1 200 OK\r\n\r\n", new Random(seed)),
                message);
            assertTrue(tracker.isDone());
            assertEquals(keepAlive, tracker.isKeepAlive(), message);
        }
    }

    @Test
    void shouldEndABodyReadUntilCloseAtEndOfInputOnly()
    {
        for (int seed = 0; seed < 100; seed++)
        {
            final HttpMessageTracker tracker = HttpMessageTracker.responses(HttpLimits.DEFAULTS);
            final String message = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nevery byte until close";
            assertEquals(message.length(), feed(tracker, message, new Random(seed)));
            assertFalse(tracker.isDone());
            assertEquals(0, tracker.endOfInput());
            assertTrue(tracker.isDone());
            assertFalse(tracker.isKeepAlive(), "a body read until close ends the connection");
        }
    }

    @Test
    void shouldTreatASwitchedConnectionAsOpaqueUntilClose()
    {
        final HttpMessageTracker tracker = HttpMessageTracker.responses(HttpLimits.DEFAULTS);
        final String message = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz";
        assertEquals(message.length(), feed(tracker, message, new Random(1)));
        assertTrue(tracker.isSwitched());
        assertEquals(0, tracker.endOfInput());
        assertFalse(tracker.isKeepAlive());
    }

    @Test
    void shouldRefuseTruncatedMessagesAtEndOfInput()
    {
        final String[] truncated = {
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
            "HTTP/1.1 200 OK\r\nContent-Le",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n"};
        for (final String message : truncated)
        {
            final HttpMessageTracker tracker = HttpMessageTracker.responses(HttpLimits.DEFAULTS);
            assertEquals(message.length(), feed(tracker, message, new Random(7)), message);
            assertEquals(HttpMessageTracker.ERROR, tracker.endOfInput(), message);
            assertTrue(tracker.errorReason().contains("ended"), tracker.errorReason());
        }
        final HttpMessageTracker nothing = HttpMessageTracker.responses(HttpLimits.DEFAULTS);
        assertFalse(nothing.hasStarted());
        assertEquals(HttpMessageTracker.ERROR, nothing.endOfInput());
    }

    @Test
    void shouldRefuseSmugglingShapesWhateverThePieces()
    {
        final String[] hostile = {
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\nHost: a\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"};
        for (final String message : hostile)
        {
            for (int seed = 0; seed < 50; seed++)
            {
                final HttpMessageTracker tracker = HttpMessageTracker.requests(HttpLimits.DEFAULTS);
                assertEquals(HttpMessageTracker.ERROR, feed(tracker, message, new Random(seed)), message);
                assertTrue(tracker.errorStatus() >= 400, message);
            }
        }
    }

    @Test
    void shouldBoundWhatItHoldsForAnEndlessHead()
    {
        final HttpMessageTracker tracker = HttpMessageTracker.requests(HttpLimits.DEFAULTS);
        final UnsafeBuffer start = bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Long: ");
        assertEquals(start.capacity(), tracker.track(start, 0, start.capacity()));
        final UnsafeBuffer filler = new UnsafeBuffer(new byte[4096]);
        filler.setMemory(0, 4096, (byte)'a');
        int result = 0;
        for (int i = 0; i < 1000 && result != HttpMessageTracker.ERROR; i++)
        {
            result = tracker.track(filler, 0, 4096);
        }
        assertEquals(HttpMessageTracker.ERROR, result);
        assertEquals(431, tracker.errorStatus());
    }

    /** Feeds {@code text} in random pieces; returns the bytes claimed, or ERROR. Stops claiming once done. */
    private static int feed(final HttpMessageTracker tracker, final String text, final Random random)
    {
        final UnsafeBuffer all = bytes(text);
        int claimed = 0;
        int at = 0;
        while (at < all.capacity() && !tracker.isDone())
        {
            final int piece = 1 + random.nextInt(random.nextBoolean() ? 4 : Math.max(1, all.capacity() - at));
            final int length = Math.min(piece, all.capacity() - at);
            // each piece lives in its own buffer at an odd offset, as a relay's read buffers would
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[length + 3]);
            copy.putBytes(3, all, at, length);
            final int n = tracker.track(copy, 3, length);
            if (n == HttpMessageTracker.ERROR)
            {
                return HttpMessageTracker.ERROR;
            }
            if (n < length)
            {
                assertTrue(tracker.isDone(), "fewer bytes claimed only at the message's end");
            }
            claimed += n;
            at += length;
        }
        return claimed;
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
