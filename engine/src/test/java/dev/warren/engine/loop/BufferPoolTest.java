package dev.warren.engine.loop;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest
{
    private static final int CHUNK = 1024;
    private static final int CHUNKS_PER_SLAB = 16;

    private final BufferPool pool = new BufferPool(CHUNK);

    @Test
    void shouldCountChunksInUse()
    {
        assertEquals(0, pool.inUse());

        final PooledBuffer a = pool.acquire();
        final PooledBuffer b = pool.acquire();
        final PooledBuffer c = pool.acquire();
        assertEquals(3, pool.inUse());

        b.release();
        assertEquals(2, pool.inUse());
        a.release();
        c.release();
        assertEquals(0, pool.inUse());

        pool.acquire().release();
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldAllocateChunksSixteenAtATime()
    {
        assertEquals(0, pool.allocatedChunks(), "nothing is allocated before the first acquire");

        final List<PooledBuffer> held = new ArrayList<>();
        held.add(pool.acquire());
        assertEquals(CHUNKS_PER_SLAB, pool.allocatedChunks());

        while (held.size() < CHUNKS_PER_SLAB)
        {
            held.add(pool.acquire());
        }
        assertEquals(CHUNKS_PER_SLAB, pool.allocatedChunks(), "one slab serves sixteen chunks");

        held.add(pool.acquire());
        assertEquals(2 * CHUNKS_PER_SLAB, pool.allocatedChunks());
        assertEquals(CHUNKS_PER_SLAB + 1, pool.inUse());

        held.forEach(PooledBuffer::release);
        assertEquals(0, pool.inUse());
        assertEquals(2 * CHUNKS_PER_SLAB, pool.allocatedChunks(), "released chunks are kept, not freed");
    }

    @Test
    void shouldReuseReleasedChunksBeforeAllocating()
    {
        final PooledBuffer first = pool.acquire();
        first.release();

        assertSame(first, pool.acquire());

        final List<PooledBuffer> held = new ArrayList<>();
        for (int round = 0; round < 10; round++)
        {
            for (int i = 0; i < CHUNKS_PER_SLAB; i++)
            {
                held.add(pool.acquire());
            }
            held.forEach(PooledBuffer::release);
            held.clear();
        }
        assertEquals(2 * CHUNKS_PER_SLAB, pool.allocatedChunks());
    }

    @Test
    void shouldThrowOnDoubleRelease()
    {
        final PooledBuffer buffer = pool.acquire();
        final PooledBuffer other = pool.acquire();
        buffer.release();

        assertThrows(IllegalStateException.class, buffer::release);
        assertEquals(1, pool.inUse(), "a refused release does not change the count");

        other.release();
        assertEquals(0, pool.inUse());
        assertThrows(IllegalStateException.class, other::release);
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldThrowOnDoubleReleaseOfAChunkThePoolDidNotRetain()
    {
        final BufferPool tiny = new BufferPool(16);
        final List<PooledBuffer> held = new ArrayList<>();
        for (int i = 0; i < BufferPool.MAX_RETAINED + CHUNKS_PER_SLAB; i++)
        {
            held.add(tiny.acquire());
        }
        held.forEach(PooledBuffer::release);
        assertEquals(0, tiny.inUse());

        final PooledBuffer dropped = held.get(held.size() - 1);
        assertThrows(IllegalStateException.class, dropped::release);
        assertEquals(0, tiny.inUse());
    }

    @Test
    void shouldHandOutDirectChunksOfChunkSize()
    {
        final PooledBuffer buffer = pool.acquire();

        assertEquals(CHUNK, pool.chunkSize());
        assertTrue(buffer.byteBuffer().isDirect());
        assertTrue(buffer.fillBuffer().isDirect());
        assertEquals(CHUNK, buffer.capacity());
        assertEquals(CHUNK, buffer.byteBuffer().capacity());
        assertEquals(CHUNK, buffer.view().capacity());
        assertEquals(0, buffer.byteBuffer().position());
        assertEquals(0, buffer.byteBuffer().limit());
        assertEquals(CHUNK, buffer.room());
    }

    @Test
    void shouldUseTheDefaultChunkSize()
    {
        final BufferPool defaults = new BufferPool();

        assertEquals(BufferPool.CHUNK_SIZE, defaults.chunkSize());
        assertEquals(BufferPool.CHUNK_SIZE, defaults.acquire().capacity());
    }

    @Test
    void shouldClearAChunkOnAcquire()
    {
        final PooledBuffer buffer = pool.acquire();
        buffer.byteBuffer().limit(700).position(300);
        buffer.release();

        final PooledBuffer again = pool.acquire();
        assertSame(buffer, again);
        assertEquals(0, again.byteBuffer().position());
        assertEquals(0, again.byteBuffer().limit());
        assertEquals(CHUNK, again.room());
    }

    @Test
    void shouldCarveChunksThatDoNotOverlap()
    {
        final List<PooledBuffer> held = new ArrayList<>();
        final IdentityHashMap<PooledBuffer, Byte> marks = new IdentityHashMap<>();
        for (int i = 0; i < 2 * CHUNKS_PER_SLAB; i++)
        {
            final PooledBuffer buffer = pool.acquire();
            held.add(buffer);
            marks.put(buffer, (byte)(i + 1));
            buffer.view().setMemory(0, CHUNK, (byte)(i + 1));
        }
        for (final PooledBuffer buffer : held)
        {
            final byte mark = marks.get(buffer);
            for (int i = 0; i < CHUNK; i++)
            {
                if (buffer.view().getByte(i) != mark)
                {
                    throw new AssertionError("chunk " + mark + " byte " + i + " was overwritten");
                }
            }
        }
    }

    @Test
    void shouldShareMemoryBetweenByteBufferFillBufferAndView()
    {
        final PooledBuffer buffer = pool.acquire();
        final ByteBuffer bytes = buffer.byteBuffer();
        final ByteBuffer fill = buffer.fillBuffer();
        bytes.limit(CHUNK);

        buffer.view().putByte(5, (byte)42);
        assertEquals(42, bytes.get(5));
        assertEquals(42, fill.get(5));

        bytes.put(CHUNK - 1, (byte)7);
        assertEquals(7, buffer.view().getByte(CHUNK - 1));
        assertEquals(7, fill.get(CHUNK - 1));

        fill.limit(CHUNK).position(100);
        fill.put(new byte[]{1, 2, 3});
        assertEquals(1, buffer.view().getByte(100));
        assertEquals(3, bytes.get(102));
        assertEquals(0, bytes.position(), "filling moves only the fill buffer's cursor");
        assertEquals(CHUNK, bytes.limit());
    }

    @Test
    void shouldMeasureRoomAfterTheLimit()
    {
        final PooledBuffer buffer = pool.acquire();

        buffer.byteBuffer().limit(100);
        assertEquals(CHUNK - 100, buffer.room());
        buffer.byteBuffer().position(60);
        assertEquals(CHUNK - 100, buffer.room(), "the write cursor does not change the room");
        buffer.byteBuffer().limit(CHUNK);
        assertEquals(0, buffer.room());
    }
}
