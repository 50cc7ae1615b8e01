package dev.warren.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpBodyDecoder;
import dev.warren.codec.http.HttpFieldsDecoder;
import dev.warren.codec.http.HttpLimits;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes {@link HttpBodyDecoder}, mostly its chunked framing ({@code HttpChunkedDecoder}): the input is the bytes
 * after a head, a chunked body and whatever follows it.
 * <p>
 * The caller contract is the connection's: pass the bytes not yet consumed, keep the rest, and read more when a
 * call consumes nothing. Invariants: each call consumes 0 to length bytes and the data slice it reports is the last
 * thing consumed; only 400 or 431 errors; the same body, trailers, leftover and error in any pieces (down to one
 * byte) as at once; a call that makes no progress while bytes are there means "need more", and asking again with
 * the same bytes changes nothing; an accepted body is what a plain reading of the chunk sizes gives; the end of
 * input refuses an incomplete body. Content-Length framing is checked on the same bytes.
 */
class HttpBodyFuzzTest
{
    private static final Set<Integer> ERROR_STATUSES = Set.of(400, 431);
    private static final HttpLimits SMALL = HeadChecks.SMALL;

    private final HttpBodyDecoder decoder = new HttpBodyDecoder();
    private final HttpBodyDecoder smallDecoder = new HttpBodyDecoder(SMALL);

    @FuzzTest(maxDuration = "30s")
    void chunkedBody(final byte[] input)
    {
        checkChunked(decoder, input, 1);
        checkChunked(smallDecoder, input, 2);
        checkContentLength(input);
    }

    private static void checkChunked(final HttpBodyDecoder decoder, final byte[] input, final int salt)
    {
        final Outcome whole = feed(decoder, input, null);
        final Outcome split = feed(decoder, input, new Pieces(input, salt));
        assertEquals(whole.toString(), split.toString(), "in pieces vs at once");
        assertArrayEquals(whole.body.toByteArray(), split.body.toByteArray(), "in pieces vs at once");
        if (whole.complete)
        {
            final int[] end = new int[1];
            final byte[] reference = plainReading(input, end);
            assertNotNull(reference, "accepted a body that a plain reading of the chunk sizes cannot parse");
            assertArrayEquals(reference, whole.body.toByteArray(), "body differs from a plain reading");
            assertEquals(input.length - end[0], whole.leftover, "body ends elsewhere than a plain reading's");
        }
    }

    /** Feeds the decoder as a connection does; pieces null feeds everything at once. */
    private static Outcome feed(final HttpBodyDecoder decoder, final byte[] input, final Pieces pieces)
    {
        decoder.reset(BodyFraming.CHUNKED, -1);
        final Outcome outcome = new Outcome();
        byte[] pending = new byte[0];
        int delivered = 0;
        int calls = 0;
        while (true)
        {
            if (delivered < input.length)
            {
                final int piece = pieces == null ? input.length : pieces.next(input.length - delivered);
                pending = concat(pending, input, delivered, piece);
                delivered += piece;
            }
            else if (pending.length == 0 || outcome.stalled)
            {
                final int end = decoder.endOfInput();
                assertTrue(end == 0 || end == HttpBodyDecoder.ERROR);
                assertFalse(end == 0, "the end of input completed an incomplete chunked body");
                recordError(decoder, outcome);
                return outcome;
            }
            outcome.stalled = false;
            // Decode until a call consumes nothing (need more) or the body ends.
            while (true)
            {
                if (++calls > 4 * input.length + 16)
                {
                    fail("more calls than the input explains: the decoder makes no progress");
                }
                final int offset = pieces == null ? 3 : pieces.offset();
                final UnsafeBuffer buffer = Pieces.laid(pending, 0, pending.length, offset);
                final int consumed = decoder.decode(buffer, offset, pending.length);
                if (consumed == HttpBodyDecoder.ERROR)
                {
                    recordError(decoder, outcome);
                    return outcome;
                }
                assertTrue(consumed >= 0 && consumed <= pending.length, () -> "consumed " + consumed + " of " +
                    "the bytes given");
                if (decoder.dataLength() > 0)
                {
                    assertEquals(offset + consumed, decoder.dataOffset() + decoder.dataLength(),
                        "the data slice is the last thing consumed");
                    assertTrue(decoder.dataOffset() >= offset);
                    final byte[] data = new byte[decoder.dataLength()];
                    buffer.getBytes(decoder.dataOffset(), data);
                    outcome.body.writeBytes(data);
                }
                pending = Arrays.copyOfRange(pending, consumed, pending.length);
                if (decoder.isComplete())
                {
                    outcome.complete = true;
                    outcome.trailers = trailers(decoder.trailers());
                    outcome.leftover = pending.length + input.length - delivered;
                    assertEquals(0, decoder.decode(buffer, offset, 0), "a complete body consumes nothing more");
                    return outcome;
                }
                if (consumed == 0)
                {
                    assertEquals(0, decoder.decode(buffer, offset, pending.length), "asked again, the same answer");
                    outcome.stalled = true;
                    break;
                }
            }
        }
    }

    private static void recordError(final HttpBodyDecoder decoder, final Outcome outcome)
    {
        assertTrue(ERROR_STATUSES.contains(decoder.errorStatus()), () -> "undocumented status " +
            decoder.errorStatus() + " (" + decoder.errorReason() + ")");
        assertNotNull(decoder.errorReason());
        outcome.error = decoder.errorStatus() + " " + decoder.errorReason();
        assertEquals(HttpBodyDecoder.ERROR, decoder.decode(new UnsafeBuffer(new byte[1]), 0, 1), "an error sticks");
    }

    private void checkContentLength(final byte[] input)
    {
        final long contentLength = Math.floorMod(Arrays.hashCode(input), input.length + 3);
        decoder.reset(BodyFraming.CONTENT_LENGTH, contentLength);
        final Pieces pieces = new Pieces(input, 3);
        long body = 0;
        int at = 0;
        while (at < input.length && !decoder.isComplete())
        {
            final int piece = pieces.next(input.length - at);
            final int consumed = decoder.decode(Pieces.laid(input, at, piece, 0), 0, piece);
            assertTrue(consumed >= 0 && consumed <= piece);
            assertEquals(consumed, decoder.dataLength());
            body += consumed;
            at += consumed;
            if (consumed < piece)
            {
                assertTrue(decoder.isComplete(), "stopped short of the body's end");
            }
        }
        assertEquals(Math.min(contentLength, input.length), body);
        assertEquals(body == contentLength ? 0 : HttpBodyDecoder.ERROR, decoder.endOfInput());
    }

    /**
     * The body a lenient reader finds: hex size, anything up to CRLF, that many bytes, CRLF; after the last chunk, an
     * empty line or a trailer section up to the first empty line. Null when even that does not parse.
     */
    static byte[] plainReading(final byte[] in, final int[] end)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true)
        {
            long size = 0;
            int digits = 0;
            while (at < in.length && Character.digit(in[at], 16) >= 0)
            {
                size = size * 16 + Character.digit(in[at], 16);
                at++;
                if (++digits > 16)
                {
                    return null;
                }
            }
            final int lineEnd = indexOf(in, at, "\r\n");
            if (digits == 0 || lineEnd < 0)
            {
                return null;
            }
            at = lineEnd + 2;
            if (size == 0)
            {
                final int trailerEnd = at + 1 < in.length && in[at] == '\r' && in[at + 1] == '\n' ? at :
                    indexOf(in, at, "\r\n\r\n") < 0 ? -1 : indexOf(in, at, "\r\n\r\n") + 2;
                if (trailerEnd < 0)
                {
                    return null;
                }
                end[0] = trailerEnd + 2;
                return body.toByteArray();
            }
            if (size > in.length - at - 2L)
            {
                return null;
            }
            body.write(in, at, (int)size);
            at += (int)size;
            if (in[at] != '\r' || in[at + 1] != '\n')
            {
                return null;
            }
            at += 2;
        }
    }

    private static int indexOf(final byte[] in, final int from, final String what)
    {
        outer:
        for (int i = from; i <= in.length - what.length(); i++)
        {
            for (int k = 0; k < what.length(); k++)
            {
                if (in[i + k] != what.charAt(k))
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String trailers(final HttpFieldsDecoder trailers)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < trailers.count(); i++)
        {
            out.append(trailers.nameAsString(i)).append('=').append(trailers.valueAsString(i)).append('\n');
        }
        return out.toString();
    }

    private static byte[] concat(final byte[] a, final byte[] b, final int from, final int length)
    {
        final byte[] out = Arrays.copyOf(a, a.length + length);
        System.arraycopy(b, from, out, a.length, length);
        return out;
    }

    private static final class Outcome
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        boolean stalled;
        String trailers = "";
        int leftover = -1;
        String error;

        @Override
        public String toString()
        {
            return "complete=" + complete + " body=" + body.size() + " leftover=" + leftover + " error=" + error +
                "\n" + trailers;
        }
    }
}
