package dev.warren.fuzz;

import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpFieldsDecoder;
import dev.warren.codec.http.HttpHeadDecoder;
import dev.warren.codec.http.HttpHeaderName;
import dev.warren.codec.http.HttpLimits;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the request and response head targets share: the feeding strategies of the {@link HttpHeadDecoder} contract
 * (the whole head so far, from its first byte, which may move between calls) and the invariants of any outcome.
 */
final class HeadChecks
{
    /** The statuses a head decoder may report (HttpHeadDecoder#errorStatus). */
    static final Set<Integer> ERROR_STATUSES = Set.of(400, 414, 431, 501, 505);

    /** Small limits, so that the fuzzer reaches every limit check with short inputs. */
    static final HttpLimits SMALL = new HttpLimits(HttpLimits.MIN_REQUEST_LINE + 8, 96, 4, 16, 48, 1 << 16);

    private HeadChecks()
    {
    }

    /** Feeds all of {@code input} at once, at a non-zero offset; returns the decoder's result. */
    static int oneShot(final HttpHeadDecoder decoder, final byte[] input, final int offset)
    {
        final UnsafeBuffer buffer = Pieces.laid(input, 0, input.length, offset);
        final int result = decoder.decode(buffer, offset, input.length);
        checkResult(decoder, result, input.length);
        return result;
    }

    /**
     * Feeds {@code input} in pieces; before each call the bytes so far are copied to a fresh buffer at a new offset
     * (a receive buffer that compacts), which the contract allows.
     */
    static int inPieces(final HttpHeadDecoder decoder, final byte[] input, final Pieces pieces)
    {
        int received = 0;
        int result = HttpHeadDecoder.NEED_MORE;
        int calls = 0;
        while (received < input.length)
        {
            received += pieces.next(input.length - received);
            final int offset = pieces.offset();
            result = decoder.decode(Pieces.laid(input, 0, received, offset), offset, received);
            checkResult(decoder, result, received);
            if (result != HttpHeadDecoder.NEED_MORE)
            {
                break;
            }
            if (++calls > input.length + 1)
            {
                fail("more calls than bytes: the decoder makes no progress");
            }
        }
        return result;
    }

    private static void checkResult(final HttpHeadDecoder decoder, final int result, final int length)
    {
        if (result == HttpHeadDecoder.ERROR)
        {
            assertTrue(ERROR_STATUSES.contains(decoder.errorStatus()), () -> "undocumented status " +
                decoder.errorStatus() + " (" + decoder.errorReason() + ")");
            assertNotNull(decoder.errorReason());
            assertFalse(decoder.errorReason().isEmpty());
            assertFalse(decoder.isDone());
        }
        else if (result == HttpHeadDecoder.NEED_MORE)
        {
            assertFalse(decoder.isDone());
        }
        else
        {
            assertTrue(result > 0 && result <= length, () -> "head length " + result + " outside 1.." + length);
            assertTrue(decoder.isDone());
            assertEquals(result, decoder.headLength());
        }
    }

    /**
     * The invariants of a complete head: it ends with the empty line, every recorded field lies inside it and is
     * well-formed, and its framing is consistent with its fields.
     */
    static void checkDone(final HttpHeadDecoder decoder, final DirectBuffer buffer, final int offset)
    {
        final int headLength = decoder.headLength();
        assertTrue(headLength >= 4);
        assertEquals("\r\n\r\n", ascii(buffer, offset + headLength - 4, 4), "a head ends with CRLF CRLF");
        assertNotNull(decoder.version());
        assertNotNull(decoder.framing());

        final HttpFieldsDecoder headers = decoder.headers();
        assertTrue(headers.count() <= decoder.limits().maxHeaderCount());
        for (int i = 0; i < headers.count(); i++)
        {
            final int nameOffset = headers.nameOffset(i);
            final int nameLength = headers.nameLength(i);
            final int valueOffset = headers.valueOffset(i);
            final int valueLength = headers.valueLength(i);
            inside(offset, headLength, nameOffset, nameLength, "name");
            inside(offset, headLength, valueOffset, valueLength, "value");
            assertTrue(nameLength > 0, "empty field name");
            assertTrue(valueOffset > nameOffset + nameLength, "a value after its name");
            for (int k = 0; k < nameLength; k++)
            {
                final int b = buffer.getByte(nameOffset + k) & 0xFF;
                assertTrue(b > 0x20 && b < 0x7F && b != ':', "name byte " + b);
            }
            for (int k = 0; k < valueLength; k++)
            {
                final int b = buffer.getByte(valueOffset + k) & 0xFF;
                assertTrue(b == '\t' || (b >= 0x20 && b != 0x7F), "value byte " + b);
            }
            if (valueLength > 0)
            {
                assertFalse(isOws(buffer.getByte(valueOffset)) || isOws(buffer.getByte(valueOffset + valueLength - 1)),
                    "a value is trimmed");
            }
            headers.nameAsString(i);
            headers.valueAsString(i);
        }

        final boolean hasContentLength = headers.indexOf(HttpHeaderName.CONTENT_LENGTH) >= 0;
        final boolean hasTransferEncoding = headers.indexOf(HttpHeaderName.TRANSFER_ENCODING) >= 0;
        assertFalse(hasContentLength && hasTransferEncoding, "Content-Length and Transfer-Encoding both accepted");
        if (decoder.framing() == BodyFraming.CONTENT_LENGTH)
        {
            assertTrue(decoder.contentLength() >= 0 && hasContentLength);
        }
        else
        {
            assertEquals(-1, decoder.contentLength());
        }
        if (decoder.framing() == BodyFraming.CHUNKED)
        {
            assertTrue(hasTransferEncoding);
        }
    }

    /** A description of the fields, for comparing outcomes. */
    static String fields(final HttpHeadDecoder decoder)
    {
        final StringBuilder out = new StringBuilder();
        final HttpFieldsDecoder headers = decoder.headers();
        for (int i = 0; i < headers.count(); i++)
        {
            out.append(headers.nameAsString(i)).append('=').append(headers.valueAsString(i)).append('\n');
        }
        return out.toString();
    }

    /** The outcome in words: equal outcomes are equal strings. */
    static String outcome(final HttpHeadDecoder decoder, final int result, final Supplier<String> done)
    {
        if (result == HttpHeadDecoder.ERROR)
        {
            return "ERROR " + decoder.errorStatus() + " " + decoder.errorReason();
        }
        if (result == HttpHeadDecoder.NEED_MORE)
        {
            return "NEED_MORE";
        }
        return "DONE " + result + " " + decoder.version() + " " + decoder.framing() + " " + decoder.contentLength() +
            " keepAlive=" + decoder.isKeepAlive() + " " + done.get() + "\n" + fields(decoder);
    }

    private static void inside(final int offset, final int headLength, final int at, final int length, final String what)
    {
        assertTrue(length >= 0 && at >= offset && at + length <= offset + headLength,
            () -> what + " at " + at + "+" + length + " outside the head " + offset + "+" + headLength);
    }

    private static boolean isOws(final byte b)
    {
        return b == ' ' || b == '\t';
    }

    static String ascii(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
