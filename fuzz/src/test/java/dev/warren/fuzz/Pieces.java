package dev.warren.fuzz;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How a fuzz target cuts its input into the pieces a socket might deliver, and where it lays them in memory.
 * <p>
 * The cuts come from the input itself (a hash seeds the generator), not from extra fuzzer bytes, so a seed file is
 * exactly the bytes on the wire and every run of the same input cuts it the same way: a finding replays.
 * Not thread-safe; one per target invocation.
 */
final class Pieces
{
    private final SplittableRandom random;

    Pieces(final byte[] input, final int salt)
    {
        random = new SplittableRandom(Arrays.hashCode(input) * 31L + salt);
    }

    /** The next piece's length: 1 to {@code left}, often 1 (the worst case for a resumable decoder). */
    int next(final int left)
    {
        if (left <= 1)
        {
            return left;
        }
        final int pick = random.nextInt(4);
        if (pick == 0)
        {
            return 1;
        }
        if (pick == 1)
        {
            return left;
        }
        return 1 + random.nextInt(left);
    }

    /** A small offset to lay bytes at, so a decoder that reads from 0 instead of its offset is caught. */
    int offset()
    {
        return random.nextInt(8);
    }

    /** A fresh buffer holding {@code length} bytes of {@code bytes} at {@code offset}, with junk around them. */
    static UnsafeBuffer laid(final byte[] bytes, final int from, final int length, final int offset)
    {
        final byte[] memory = new byte[offset + length + 8];
        Arrays.fill(memory, (byte)'#');
        System.arraycopy(bytes, from, memory, offset, length);
        return new UnsafeBuffer(memory);
    }
}
