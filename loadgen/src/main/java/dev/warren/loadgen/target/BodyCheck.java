package dev.warren.loadgen.target;

import org.agrona.DirectBuffer;

/**
 * {@code loadgen http --expect-body-file}: checks a response body, slice by slice as it arrives, against the bytes
 * every response should carry, so that a body that is cut short, too long or corrupted is not counted as a success.
 * {@link #reset()} before each body, {@link #update} with each slice, then {@link #verdict()}.
 * <p>
 * Owned by one connection on one thread; not thread-safe. Allocates only for a verdict that is not null.
 */
final class BodyCheck
{
    private final byte[] expected;
    private long received;
    /** The offset of the first byte that differed from the expected one; -1 while none did. */
    private long firstDifference = -1;

    BodyCheck(final byte[] expected)
    {
        this.expected = expected.clone();
    }

    void reset()
    {
        received = 0;
        firstDifference = -1;
    }

    /** The next {@code length} bytes of the body, at {@code offset} in {@code buffer}. */
    void update(final DirectBuffer buffer, final int offset, final int length)
    {
        if (firstDifference < 0)
        {
            for (int i = 0; i < length; i++)
            {
                final long at = received + i;
                if (at >= expected.length || buffer.getByte(offset + i) != expected[(int)at])
                {
                    firstDifference = at;
                    break;
                }
            }
        }
        received += length;
    }

    /** @return null when the body was exactly the expected bytes; otherwise how it differed, for the report. */
    String verdict()
    {
        if (firstDifference < 0 && received == expected.length)
        {
            return null;
        }
        if (firstDifference < 0)
        {
            return "response body of " + received + " bytes is cut short: " + expected.length + " expected";
        }
        if (firstDifference >= expected.length)
        {
            return "response body of " + received + " bytes is longer than the " + expected.length + " expected";
        }
        return "response body differs from the expected at byte " + firstDifference + " (" + received + " bytes, " +
            expected.length + " expected)";
    }
}
