package dev.warren.bench;

import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A socket that takes every byte at once and throws it away: the sink of a benchmarked write path. Each write
 * moves the buffers' positions to their limits, as a socket with room does. Counts what it took, so a test can
 * check a benchmark really wrote its bytes. Not thread-safe; garbage-free.
 */
public final class DiscardChannel implements GatheringByteChannel
{
    private long bytesWritten;

    /** Everything written so far. */
    public long bytesWritten()
    {
        return bytesWritten;
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length)
    {
        long total = 0;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            total += discard(srcs[i]);
        }
        bytesWritten += total;
        return total;
    }

    @Override
    public long write(final ByteBuffer[] srcs)
    {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(final ByteBuffer src)
    {
        final int n = discard(src);
        bytesWritten += n;
        return n;
    }

    @Override
    public boolean isOpen()
    {
        return true;
    }

    @Override
    public void close()
    {
    }

    private static int discard(final ByteBuffer buffer)
    {
        final int n = buffer.remaining();
        buffer.position(buffer.limit());
        return n;
    }
}
