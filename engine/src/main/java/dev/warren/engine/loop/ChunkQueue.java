package dev.warren.engine.loop;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

/**
 * A FIFO of {@link PooledBuffer} chunks waiting to be written to one socket: an array ring, so walking it to fill a
 * gathering write allocates nothing (an {@code ArrayDeque} iterator would, unless escape analysis removes it).
 * A chunk's {@code byteBuffer()} position is its write cursor and its limit the end of its bytes.
 * <p>
 * Owned by one event loop; not thread-safe.
 */
public final class ChunkQueue
{
    private static final int MAX_GATHER = 64;
    private static final PooledBuffer[] EMPTY = new PooledBuffer[0];

    /** Made on the first chunk: a stream's queue often never holds one. */
    private PooledBuffer[] ring = EMPTY;
    /** Made on the first write of more than one chunk: most queues (one per stream) never need it. */
    private ByteBuffer[] gather;
    private int head;
    private int size;

    public int size()
    {
        return size;
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    public PooledBuffer peekFirst()
    {
        return size == 0 ? null : ring[head];
    }

    public PooledBuffer peekLast()
    {
        return size == 0 ? null : ring[(head + size - 1) & (ring.length - 1)];
    }

    public void addLast(final PooledBuffer chunk)
    {
        if (size == ring.length)
        {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = chunk;
        size++;
    }

    /**
     * Copies {@code length} bytes of {@code buffer} to the end of the queue: into the last chunk's room, then into
     * chunks taken from {@code pool}.
     */
    public void append(final BufferPool pool, final DirectBuffer buffer, final int offset, final int length)
    {
        int at = offset;
        int remaining = length;
        while (remaining > 0)
        {
            PooledBuffer tail = peekLast();
            if (tail == null || tail.room() == 0)
            {
                tail = pool.acquire();
                addLast(tail);
            }
            final ByteBuffer bytes = tail.byteBuffer();
            final int n = Math.min(tail.room(), remaining);
            tail.view().putBytes(bytes.limit(), buffer, at, n);
            bytes.limit(bytes.limit() + n);
            at += n;
            remaining -= n;
        }
    }

    public PooledBuffer pollFirst()
    {
        if (size == 0)
        {
            return null;
        }
        final PooledBuffer chunk = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        return chunk;
    }

    public PooledBuffer pollLast()
    {
        if (size == 0)
        {
            return null;
        }
        final int index = (head + size - 1) & (ring.length - 1);
        final PooledBuffer chunk = ring[index];
        ring[index] = null;
        size--;
        return chunk;
    }

    /**
     * Writes as much as the channel takes in one gathering write over the first chunks, then releases those fully
     * written.
     *
     * @return bytes written.
     */
    public long writeTo(final java.nio.channels.GatheringByteChannel channel) throws java.io.IOException
    {
        if (size == 0)
        {
            return 0;
        }
        if (size == 1)
        {
            final PooledBuffer only = ring[head];
            final int written = channel.write(only.byteBuffer());
            if (!only.byteBuffer().hasRemaining())
            {
                pollFirst().release();
            }
            return written;
        }
        final int count = Math.min(size, MAX_GATHER);
        if (gather == null)
        {
            gather = new ByteBuffer[MAX_GATHER];
        }
        final ByteBuffer[] gather = this.gather;
        for (int i = 0; i < count; i++)
        {
            gather[i] = ring[(head + i) & (ring.length - 1)].byteBuffer();
        }
        final long written;
        try
        {
            written = channel.write(gather, 0, count);
        }
        finally
        {
            for (int i = 0; i < count; i++)
            {
                gather[i] = null;
            }
        }
        PooledBuffer first;
        while ((first = peekFirst()) != null && !first.byteBuffer().hasRemaining())
        {
            pollFirst().release();
        }
        return written;
    }

    /** Releases every chunk. */
    public void clear()
    {
        PooledBuffer chunk;
        while ((chunk = pollFirst()) != null)
        {
            chunk.release();
        }
    }

    private void grow()
    {
        final PooledBuffer[] bigger = new PooledBuffer[ring.length == 0 ? 8 : ring.length << 1];
        for (int i = 0; i < size; i++)
        {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
