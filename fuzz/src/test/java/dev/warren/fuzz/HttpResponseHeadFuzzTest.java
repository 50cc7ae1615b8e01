package dev.warren.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpHeadDecoder;
import dev.warren.codec.http.HttpMethod;
import dev.warren.codec.http.HttpResponseHeadDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link HttpResponseHeadDecoder}: hostile bytes from a private host, read by the connector's fetch path.
 * The input is the bytes the host sends.
 * <p>
 * Invariants as for requests (documented outcomes only, everything recorded inside the head, the same outcome in
 * any pieces), plus the framing rules that depend on the request: the same head answers GET, HEAD and CONNECT with
 * the same length or error; a response to HEAD, a 1xx, 204 or 304 has no body; a 2xx to CONNECT has none and ends
 * the connection; a body read until close ends the connection.
 */
class HttpResponseHeadFuzzTest
{
    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.CONNECT};

    private final HttpResponseHeadDecoder whole = new HttpResponseHeadDecoder();
    private final HttpResponseHeadDecoder split = new HttpResponseHeadDecoder();
    private final HttpResponseHeadDecoder smallWhole = new HttpResponseHeadDecoder(HeadChecks.SMALL);
    private final HttpResponseHeadDecoder smallSplit = new HttpResponseHeadDecoder(HeadChecks.SMALL);

    @FuzzTest(maxDuration = "30s")
    void responseHead(final byte[] input)
    {
        String getOutcome = null;
        for (final HttpMethod method : METHODS)
        {
            final String shape = check(whole.requestMethod(method), split.requestMethod(method), input, 1);
            if (getOutcome == null)
            {
                getOutcome = shape;
            }
            assertEquals(getOutcome, shape, "the request method changes only framing");
        }
        check(smallWhole, smallSplit, input, 2);
    }

    /** Returns the outcome without what the request method decides, to compare across methods. */
    private static String check(
        final HttpResponseHeadDecoder whole, final HttpResponseHeadDecoder split, final byte[] input, final int salt)
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
            checkResponse(whole, offset, result);
            assertEquals(result, whole.decode(buffer, offset, input.length), "asked again");

            split.reset();
            assertEquals(expected, outcome(split, HeadChecks.oneShot(split, Arrays.copyOf(input, result), 0)),
                "the head alone");
            split.reset();
            assertEquals(HttpHeadDecoder.NEED_MORE, HeadChecks.oneShot(split, Arrays.copyOf(input, result - 1), 0),
                "a complete head's prefix is incomplete");
        }

        split.reset();
        assertEquals(expected, outcome(split, HeadChecks.inPieces(split, input, pieces)), "in pieces vs at once");

        if (result > 0)
        {
            return "DONE " + result + " " + whole.status() + " " + whole.reasonAsString() + "\n" +
                HeadChecks.fields(whole);
        }
        return expected;
    }

    private static void checkResponse(final HttpResponseHeadDecoder decoder, final int offset, final int headLength)
    {
        final int status = decoder.status();
        assertTrue(status >= 100 && status <= 599, () -> "status " + status);
        assertTrue(decoder.reasonLength() >= 0 && decoder.reasonOffset() >= offset &&
            decoder.reasonOffset() + decoder.reasonLength() < offset + headLength);
        assertTrue(decoder.reasonOffset() + decoder.reasonLength() - offset <= decoder.limits().maxRequestLine(),
            "status line over its limit accepted");
        decoder.reasonAsString();

        final HttpMethod method = decoder.requestMethod();
        final BodyFraming framing = decoder.framing();
        if (method == HttpMethod.HEAD || status < 200 || status == 204 || status == 304)
        {
            assertEquals(BodyFraming.NONE, framing, "no body here");
        }
        else if (method == HttpMethod.CONNECT && status < 300)
        {
            assertEquals(BodyFraming.NONE, framing, "a 2xx to CONNECT has no body");
            assertFalse(decoder.isKeepAlive(), "a 2xx to CONNECT becomes a tunnel");
        }
        else
        {
            assertTrue(framing != BodyFraming.NONE, "a response with a body");
        }
        if (framing == BodyFraming.UNTIL_CLOSE)
        {
            assertFalse(decoder.isKeepAlive(), "a body read until close ends the connection");
        }
    }

    private static String outcome(final HttpResponseHeadDecoder decoder, final int result)
    {
        return HeadChecks.outcome(decoder, result, () -> decoder.status() + " " + decoder.reasonAsString() +
            " informational=" + decoder.isInformational());
    }
}
