package dev.warren.engine.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A per-loop pool of equal direct buffers, carved from slabs so that one allocation serves many chunks.
 * <p>
 * Owned by its event loop; not thread-safe. {@link #inUse()} is what tests check to prove nothing leaks: after
 * traffic stops and its streams end, it returns to where it started.
 */
public final class BufferPool
{
    /** Chunk size: one tunnel frame (header + payload) or one socket read. Property {@code warren.buffer.chunk}. */
    public static final int CHUNK_SIZE = Integer.getInteger("warren.buffer.chunk", 64 * 1024);
    /** Chunks per slab. */
    private static final int CHUNKS_PER_SLAB = 16;
    /** Free chunks kept for reuse; more are left to the garbage collector. Property {@code warren.buffer.retain}. */
    public static final int MAX_RETAINED = Integer.getInteger("warren.buffer.retain", 1024);

    private final int chunkSize;
    private final ArrayDeque<PooledBuffer> free = new ArrayDeque<>();
    private int inUse;
    private long allocatedChunks;

    public BufferPool()
    {
        this(CHUNK_SIZE);
    }

    public BufferPool(final int chunkSize)
    {
        this.chunkSize = chunkSize;
    }

    public PooledBuffer acquire()
    {
        PooledBuffer buffer = free.pollFirst();
        if (buffer == null)
        {
            allocateSlab();
            buffer = free.pollFirst();
        }
        buffer.inPool = false;
        buffer.byteBuffer.clear().limit(0);
        inUse++;
        return buffer;
    }

    void release(final PooledBuffer buffer)
    {
        if (buffer.inPool)
        {
            throw new IllegalStateException("buffer released twice");
        }
        buffer.inPool = true;
        inUse--;
        if (free.size() < MAX_RETAINED)
        {
            free.addFirst(buffer);
        }
    }

    public int chunkSize()
    {
        return chunkSize;
    }

    /** Chunks handed out and not yet released. */
    public int inUse()
    {
        return inUse;
    }

    public long allocatedChunks()
    {
        return allocatedChunks;
    }

    private void allocateSlab()
    {
        final ByteBuffer slab = ByteBuffer.allocateDirect(chunkSize * CHUNKS_PER_SLAB);
        for (int i = 0; i < CHUNKS_PER_SLAB; i++)
        {
            slab.limit((i + 1) * chunkSize).position(i * chunkSize);
            final PooledBuffer buffer = new PooledBuffer(this, slab.slice());
            buffer.inPool = true;
            free.addLast(buffer);
        }
        allocatedChunks += CHUNKS_PER_SLAB;
    }
}
