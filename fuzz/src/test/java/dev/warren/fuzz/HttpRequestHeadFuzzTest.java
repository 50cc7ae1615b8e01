package dev.warren.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.warren.codec.http.HttpHeadDecoder;
import dev.warren.codec.http.HttpLimits;
import dev.warren.codec.http.HttpRequestHeadDecoder;
import dev.warren.codec.http.HttpVersion;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link HttpRequestHeadDecoder}: hostile bytes at a front door. The input is the bytes a client sends.
 * <p>
 * Invariants, with the default limits and with small ones: only the documented outcomes (a head length, NEED_MORE,
 * or ERROR with a documented status and a reason); a complete head ends with its empty line and everything recorded
 * lies inside it; a decoder fed the same bytes in any pieces, moving between calls, reaches the same outcome as one
 * fed them at once; a complete head's own bytes decode to the same head and its prefix needs more; a decoder asked
 * again returns the same length.
 */
class HttpRequestHeadFuzzTest
{
    private final HttpRequestHeadDecoder whole = new HttpRequestHeadDecoder();
    private final HttpRequestHeadDecoder split = new HttpRequestHeadDecoder();
    private final HttpRequestHeadDecoder smallWhole = new HttpRequestHeadDecoder(HeadChecks.SMALL);
    private final HttpRequestHeadDecoder smallSplit = new HttpRequestHeadDecoder(HeadChecks.SMALL);

    @FuzzTest(maxDuration = "30s")
    void requestHead(final byte[] input)
    {
        check(whole, split, input, 1);
        check(smallWhole, smallSplit, input, 2);
    }

    private static void check(
        final HttpRequestHeadDecoder whole, final HttpRequestHeadDecoder split, final byte[] input, final int salt)
    {
        final Pieces pieces = new Pieces(input, salt);
        final int offset = pieces.offset();

        whole.reset();
        final int result = HeadChecks.oneShot(whole, input, offset);
        final String expected = outcome(whole, result);
        if (result > 0)
        {
            final UnsafeBuffer buffer = (UnsafeBuffer)whole.buffer();
            HeadChecks.checkDone(whole, buffer, offset);
            checkRequest(whole, offset, result);
            assertEquals(result, whole.decode(buffer, offset, input.length), "asked again");
            assertEquals(expected, outcome(whole, result), "asked again");

            final byte[] head = Arrays.copyOf(input, result);
            split.reset();
            assertEquals(expected, outcome(split, HeadChecks.oneShot(split, head, 0)), "the head alone");
            split.reset();
            assertEquals(HttpHeadDecoder.NEED_MORE, HeadChecks.oneShot(split, Arrays.copyOf(input, result - 1), 0),
                "a complete head's prefix is incomplete");
        }

        split.reset();
        final int splitResult = HeadChecks.inPieces(split, input, pieces);
        assertEquals(expected, outcome(split, splitResult), "in pieces vs at once");
    }

    private static void checkRequest(final HttpRequestHeadDecoder decoder, final int offset, final int headLength)
    {
        assertNotNull(decoder.method());
        assertTrue(decoder.methodLength() > 0 && decoder.methodOffset() >= offset);
        assertTrue(decoder.targetLength() > 0);
        assertTrue(decoder.methodOffset() + decoder.methodLength() < decoder.targetOffset());
        assertTrue(decoder.targetOffset() + decoder.targetLength() < offset + headLength);
        if (decoder.version() == HttpVersion.HTTP_1_1)
        {
            assertTrue(decoder.hostIndex() >= 0, "an HTTP/1.1 request without Host accepted");
        }
        else
        {
            assertTrue(!decoder.isExpectContinue(), "100-continue is for HTTP/1.1 only");
        }
        if (decoder.hostIndex() >= 0)
        {
            final String host = decoder.headers().valueAsString(decoder.hostIndex());
            assertTrue(host.chars().noneMatch(c -> c == '/' || c == '@' || c == ' ' || c == '?' || c == '#'),
                () -> "a Host with a path, userinfo, space, query or fragment accepted: " + host);
        }
        final HttpLimits limits = decoder.limits();
        // Leading empty lines and the request line up to its CR count against the limit.
        final int lineEnd = decoder.targetOffset() + decoder.targetLength() + 1 + HttpVersion.LENGTH - offset;
        assertTrue(lineEnd <= limits.maxRequestLine(), () -> "request line of " + lineEnd + " bytes accepted");
    }

    private static String outcome(final HttpRequestHeadDecoder decoder, final int result)
    {
        return HeadChecks.outcome(decoder, result, () -> decoder.methodAsString() + " " + decoder.method() + " " +
            decoder.targetAsString() + " host=" + decoder.hostIndex() + " expect=" + decoder.isExpectContinue());
    }
}
