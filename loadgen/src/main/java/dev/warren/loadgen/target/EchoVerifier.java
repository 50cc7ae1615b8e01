package dev.warren.loadgen.target;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Checks bytes coming back from an echo against the payload that was sent, as one endless repetition of it: the
 * first byte received is compared with the payload's first, and after the payload's last comes its first again.
 * That one rule serves request/response (one payload back per request) and bulk against an echoing server.
 * <p>
 * Compares eight bytes at a time and allocates nothing. <b>Threading.</b> Owned by one transport and used by one
 * thread at a time (the thread its bytes arrive on); not thread-safe. The payload is shared and never written.
 */
public final class EchoVerifier
{
    private final UnsafeBuffer expected;
    private final int length;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private int offset;

    /** @param payload what each request sends, from index 0 to its capacity; not changed afterwards. */
    public EchoVerifier(final ByteBuffer payload)
    {
        if (payload.capacity() == 0)
        {
            throw new IllegalArgumentException("empty payload");
        }
        this.expected = new UnsafeBuffer(payload, 0, payload.capacity());
        this.length = payload.capacity();
    }

    /** A direct buffer of {@code size} random bytes drawn from {@code seed}: what each request of a run sends. */
    public static ByteBuffer randomPayload(final int size, final long seed)
    {
        final byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return ByteBuffer.allocateDirect(size).put(bytes).clear();
    }

    /** Checks {@code data} from its position to its limit, which do not move. @return true when all match. */
    public boolean verify(final ByteBuffer data)
    {
        final int remaining = data.remaining();
        if (remaining == 0)
        {
            return true;
        }
        view.wrap(data, data.position(), remaining);
        return verify(view, 0, remaining);
    }

    /** Checks {@code length} bytes of {@code data} from {@code index}. @return true when all match. */
    public boolean verify(final DirectBuffer data, final int index, final int length)
    {
        boolean matches = true;
        int at = index;
        int left = length;
        while (left > 0)
        {
            final int run = Math.min(left, this.length - offset);
            if (matches && !equal(data, at, offset, run))
            {
                matches = false;
            }
            at += run;
            left -= run;
            offset += run;
            if (offset == this.length)
            {
                offset = 0;
            }
        }
        return matches;
    }

    /** Where in the payload the next byte is expected. */
    public int offset()
    {
        return offset;
    }

    private boolean equal(final DirectBuffer data, final int index, final int from, final int count)
    {
        int i = 0;
        for (; i + Long.BYTES <= count; i += Long.BYTES)
        {
            if (data.getLong(index + i) != expected.getLong(from + i))
            {
                return false;
            }
        }
        for (; i < count; i++)
        {
            if (data.getByte(index + i) != expected.getByte(from + i))
            {
                return false;
            }
        }
        return true;
    }
}
