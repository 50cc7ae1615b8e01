package dev.warren.engine.loop;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One chunk of a {@link BufferPool}: a direct {@link ByteBuffer} for the socket and an {@link UnsafeBuffer} view of
 * the same memory for the codec. Owned by one loop; handed around on that loop only; released exactly once.
 */
public final class PooledBuffer
{
    final BufferPool pool;
    final ByteBuffer byteBuffer;
    final ByteBuffer fillBuffer;
    final UnsafeBuffer view;
    boolean inPool;

    PooledBuffer(final BufferPool pool, final ByteBuffer byteBuffer)
    {
        this.pool = pool;
        this.byteBuffer = byteBuffer;
        this.fillBuffer = byteBuffer.duplicate();
        this.view = new UnsafeBuffer(byteBuffer);
    }

    /**
     * For writing to a socket: by convention {@code position} is the next byte to write and {@code limit} the end of
     * the bytes held. Cleared on acquire.
     */
    public ByteBuffer byteBuffer()
    {
        return byteBuffer;
    }

    /**
     * A second view of the same memory for reading from a socket into the chunk (at {@code byteBuffer().limit()})
     * while {@link #byteBuffer()} keeps tracking what is still to be written.
     */
    public ByteBuffer fillBuffer()
    {
        return fillBuffer;
    }

    /** Bytes free after {@code byteBuffer().limit()}. */
    public int room()
    {
        return byteBuffer.capacity() - byteBuffer.limit();
    }

    /** For the codec: the same memory, indexed from 0. */
    public UnsafeBuffer view()
    {
        return view;
    }

    public int capacity()
    {
        return byteBuffer.capacity();
    }

    public void release()
    {
        pool.release(this);
    }
}
