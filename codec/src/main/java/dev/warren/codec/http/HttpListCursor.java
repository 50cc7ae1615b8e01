package dev.warren.codec.http;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Walks the elements of a comma-separated field value ({@code #element}, RFC 9110 §5.6.1) in place, each trimmed of
 * optional whitespace. Empty elements are reported, not skipped: a field that must not have them (Content-Length,
 * Transfer-Encoding) refuses them. Reused; owned by one decoder; not thread-safe.
 */
final class HttpListCursor
{
    static final byte[] CHUNKED = bytes("chunked");
    static final byte[] CLOSE = bytes("close");
    static final byte[] KEEP_ALIVE = bytes("keep-alive");
    static final byte[] CONTINUE = bytes("100-continue");

    /** More decimal digits than a Content-Length may have: 10^18 - 1 still fits a long with room to multiply. */
    static final int MAX_DECIMAL_DIGITS = 18;
    static final long NOT_A_NUMBER = -1;

    private DirectBuffer buffer;
    private int position;
    private int end;
    private int elementStart;
    private int elementEnd;

    HttpListCursor wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
        return this;
    }

    /** Moves to the next element; false when there is none left. A value of n commas has n + 1 elements. */
    boolean next()
    {
        if (position > end)
        {
            return false;
        }
        int comma = position;
        while (comma < end && buffer.getByte(comma) != HttpGrammar.COMMA)
        {
            comma++;
        }
        int start = position;
        int stop = comma;
        while (start < stop && HttpGrammar.isWhitespace(buffer.getByte(start)))
        {
            start++;
        }
        while (stop > start && HttpGrammar.isWhitespace(buffer.getByte(stop - 1)))
        {
            stop--;
        }
        elementStart = start;
        elementEnd = stop;
        position = comma + 1;
        return true;
    }

    boolean isEmpty()
    {
        return elementStart == elementEnd;
    }

    boolean isToken()
    {
        if (elementStart == elementEnd)
        {
            return false;
        }
        for (int i = elementStart; i < elementEnd; i++)
        {
            if (!HttpGrammar.isTchar(buffer.getByte(i)))
            {
                return false;
            }
        }
        return true;
    }

    /** Whether the element is {@code lowerCase} in any case. */
    boolean equalsIgnoreCase(final byte[] lowerCase)
    {
        if (elementEnd - elementStart != lowerCase.length)
        {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++)
        {
            if (HttpGrammar.toLowerCase(buffer.getByte(elementStart + i)) != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the element as {@code 1*DIGIT} of at most {@link #MAX_DECIMAL_DIGITS} digits, or {@link #NOT_A_NUMBER}
     * for anything else: a sign, a space, a hex or other character, or too many digits.
     */
    long decimalValue()
    {
        final int length = elementEnd - elementStart;
        if (length == 0 || length > MAX_DECIMAL_DIGITS)
        {
            return NOT_A_NUMBER;
        }
        long value = 0;
        for (int i = elementStart; i < elementEnd; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return NOT_A_NUMBER;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
