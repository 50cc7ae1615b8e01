package dev.warren.engine.tunnel;

import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.loop.PooledBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import dev.warren.engine.loop.ChunkQueue;
import java.nio.channels.GatheringByteChannel;

/**
 * Bytes waiting to be written to one socket, as a queue of pooled chunks. Frames are appended at the tail chunk's
 * {@code limit} (many small frames share one chunk); {@link #writeTo} sends as many chunks as the socket takes in
 * one gathering write and releases the ones fully sent. A chunk's {@code position} is its write cursor, so
 * appending to a chunk that is half written is safe.
 * <p>
 * Owned by one event loop; not thread-safe.
 */
public final class OutboundQueue
{
    private final BufferPool pool;
    private final ChunkQueue chunks = new ChunkQueue();
    private long queuedBytes;
    private long totalWritten;

    public OutboundQueue(final BufferPool pool)
    {
        this.pool = pool;
    }

    /**
     * @return the tail chunk when it has at least {@code minRoom} bytes free after its limit, else a new tail chunk.
     * Write at {@code byteBuffer().limit()} then call {@link #commit}.
     */
    public PooledBuffer claim(final int minRoom)
    {
        final PooledBuffer tail = chunks.peekLast();
        if (tail != null && tail.room() >= minRoom)
        {
            return tail;
        }
        final PooledBuffer fresh = pool.acquire();
        chunks.addLast(fresh);
        return fresh;
    }

    /**
     * Makes {@code length} bytes written after the tail chunk's limit part of the queue. Committing 0 bytes to a
     * fresh chunk gives it back to the pool.
     */
    public void commit(final PooledBuffer chunk, final int length)
    {
        final ByteBuffer buffer = chunk.byteBuffer();
        if (length == 0)
        {
            if (buffer.limit() == 0 && chunks.peekLast() == chunk)
            {
                chunks.pollLast().release();
            }
            return;
        }
        buffer.limit(buffer.limit() + length);
        queuedBytes += length;
    }

    public long queuedBytes()
    {
        return queuedBytes;
    }

    /** Bytes written to the socket since the queue was made: frames, headers included. */
    public long totalWritten()
    {
        return totalWritten;
    }

    public boolean isEmpty()
    {
        return queuedBytes == 0;
    }

    /**
     * Writes what the channel takes now.
     *
     * @return true when everything queued has been written.
     */
    public boolean writeTo(final GatheringByteChannel channel) throws IOException
    {
        while (queuedBytes > 0)
        {
            final long written = chunks.writeTo(channel);
            queuedBytes -= written;
            totalWritten += written;
            if (written == 0)
            {
                break;
            }
        }
        return queuedBytes == 0;
    }

    /** Drops everything queued (the connection is gone). */
    public void clear()
    {
        chunks.clear();
        queuedBytes = 0;
    }
}
