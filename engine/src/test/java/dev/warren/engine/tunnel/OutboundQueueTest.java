package dev.warren.engine.tunnel;

import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.loop.PooledBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OutboundQueue} is single-threaded, so the test drives it directly with a {@link BufferPool} and a real
 * loopback socket pair: the writer end non-blocking, as on an event loop, the reader end blocking with a timeout.
 */
class OutboundQueueTest
{
    private static final int READ_TIMEOUT_MS = 5_000;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ByteArrayOutputStream expected = new ByteArrayOutputStream();
    private final Random random = new Random(42);

    @AfterEach
    void closeSockets() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
    }

    @Test
    void shouldPackFramesIntoTheTailChunkUntilItsRoomIsShort()
    {
        final BufferPool pool = new BufferPool(256);
        final OutboundQueue queue = new OutboundQueue(pool);

        final PooledBuffer first = append(queue, 100);
        assertSame(first, append(queue, 100), "a second frame shares the chunk");
        assertEquals(1, pool.inUse());
        assertEquals(200, first.byteBuffer().limit());

        final PooledBuffer second = append(queue, 100);
        assertNotSame(first, second, "56 bytes of room are too few for 100");
        assertEquals(2, pool.inUse());
        assertEquals(300, queue.queuedBytes());
        assertEquals(200, first.byteBuffer().limit(), "a frame never straddles two chunks");

        assertSame(second, append(queue, 156), "room equal to the claim is enough");
        assertEquals(0, second.room());
        final PooledBuffer third = append(queue, 1);
        assertNotSame(second, third);
        assertEquals(3, pool.inUse());
        assertEquals(457, queue.queuedBytes());
        assertFalse(queue.isEmpty());

        queue.clear();
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldGiveAFreshChunkBackToThePoolOnAnEmptyCommit()
    {
        final BufferPool pool = new BufferPool(256);
        final OutboundQueue queue = new OutboundQueue(pool);

        final PooledBuffer fresh = queue.claim(16);
        assertEquals(1, pool.inUse());
        queue.commit(fresh, 0);
        assertEquals(0, pool.inUse());
        assertTrue(queue.isEmpty());

        final PooledBuffer holding = append(queue, 10);
        final PooledBuffer claimed = queue.claim(16);
        assertSame(holding, claimed);
        queue.commit(claimed, 0);
        assertEquals(1, pool.inUse(), "a chunk that holds frames stays queued");
        assertEquals(10, queue.queuedBytes());

        final PooledBuffer another = queue.claim(250);
        assertNotSame(holding, another);
        queue.commit(another, 0);
        assertEquals(1, pool.inUse(), "only the empty tail chunk goes back");

        queue.clear();
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldReportDrainedWhenNothingIsQueued() throws IOException
    {
        final BufferPool pool = new BufferPool(256);
        final OutboundQueue queue = new OutboundQueue(pool);
        final SocketChannel[] pair = connectedPair(0);

        assertTrue(queue.isEmpty());
        assertTrue(queue.writeTo(pair[0]));
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldWriteEverythingInOrderAndReleaseTheChunks() throws IOException
    {
        final BufferPool pool = new BufferPool(256);
        final OutboundQueue queue = new OutboundQueue(pool);
        final SocketChannel[] pair = connectedPair(0);
        final InputStream peer = pair[1].socket().getInputStream();

        for (int i = 0; i < 300; i++)
        {
            append(queue, 1 + random.nextInt(200));
        }
        assertTrue(pool.inUse() > 64, "more chunks than one gathering write takes: " + pool.inUse());
        assertEquals(expected.size(), queue.queuedBytes());

        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (!queue.writeTo(pair[0]))
        {
            readSome(peer, received);
        }
        readUpTo(peer, received, expected.size());

        assertArrayEquals(expected.toByteArray(), received.toByteArray());
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.queuedBytes());
        assertEquals(0, pool.inUse(), "every written chunk goes back to the pool");
    }

    @Test
    void shouldKeepOrderAcrossPartialWrites() throws IOException
    {
        final int chunkSize = 256 * 1024;
        final BufferPool pool = new BufferPool(chunkSize);
        final OutboundQueue queue = new OutboundQueue(pool);
        final SocketChannel[] pair = connectedPair(8 * 1024);
        final InputStream peer = pair[1].socket().getInputStream();

        PooledBuffer head = null;
        while (expected.size() < chunkSize / 2)
        {
            head = append(queue, 1000);
        }
        assertEquals(1, pool.inUse());

        assertFalse(queue.writeTo(pair[0]), "the peer does not read, so its buffers fill");
        final long queuedAfterFirstWrite = queue.queuedBytes();
        assertTrue(queuedAfterFirstWrite > 0 && queuedAfterFirstWrite < expected.size(), "" + queuedAfterFirstWrite);
        assertTrue(head.byteBuffer().position() > 0, "the chunk is half written");
        assertEquals(1, pool.inUse(), "a half written chunk is kept");

        assertSame(head, append(queue, 500), "a frame may join a chunk that is half written");
        while (pool.inUse() < 4)
        {
            append(queue, 1 + random.nextInt(20_000));
        }

        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int partialWrites = 1;
        while (!queue.writeTo(pair[0]))
        {
            partialWrites++;
            if (partialWrites < 50)
            {
                append(queue, 1 + random.nextInt(3_000));
            }
            readSome(peer, received);
        }
        readUpTo(peer, received, expected.size());

        assertTrue(partialWrites > 2, "writes were partial: " + partialWrites);
        assertArrayEquals(expected.toByteArray(), received.toByteArray());
        assertTrue(queue.isEmpty());
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldReleaseEverythingOnClear()
    {
        final BufferPool pool = new BufferPool(256);
        final OutboundQueue queue = new OutboundQueue(pool);
        for (int i = 0; i < 20; i++)
        {
            append(queue, 100);
        }
        assertEquals(10, pool.inUse());

        queue.clear();

        assertEquals(0, pool.inUse());
        assertEquals(0, queue.queuedBytes());
        assertTrue(queue.isEmpty());
        final PooledBuffer fresh = queue.claim(10);
        assertEquals(0, fresh.byteBuffer().limit(), "after clear a claim starts a new chunk");
        queue.commit(fresh, 0);
        assertEquals(0, pool.inUse());
    }

    @Test
    void shouldReleaseHalfWrittenChunksOnClear() throws IOException
    {
        final BufferPool pool = new BufferPool(64 * 1024);
        final OutboundQueue queue = new OutboundQueue(pool);
        final SocketChannel[] pair = connectedPair(8 * 1024);
        while (expected.size() < 512 * 1024)
        {
            append(queue, 4000);
        }
        assertFalse(queue.writeTo(pair[0]));
        assertTrue(pool.inUse() > 0);

        queue.clear();

        assertEquals(0, pool.inUse());
        assertTrue(queue.isEmpty());
        assertTrue(queue.writeTo(pair[0]));
    }

    @Test
    void shouldKeepChunksQueuedWhenTheChannelFails() throws IOException
    {
        final BufferPool pool = new BufferPool(256);
        final OutboundQueue queue = new OutboundQueue(pool);
        final SocketChannel[] pair = connectedPair(0);
        append(queue, 100);
        pair[0].close();

        assertThrows(IOException.class, () -> queue.writeTo(pair[0]));
        assertEquals(1, pool.inUse());
        assertEquals(100, queue.queuedBytes());

        queue.clear();
        assertEquals(0, pool.inUse());
    }

    /** Claims room for a frame of {@code length} random bytes, writes it at the limit and commits it. */
    private PooledBuffer append(final OutboundQueue queue, final int length)
    {
        final byte[] frame = new byte[length];
        random.nextBytes(frame);
        final PooledBuffer chunk = queue.claim(length);
        chunk.view().putBytes(chunk.byteBuffer().limit(), frame);
        queue.commit(chunk, length);
        expected.write(frame, 0, length);
        return chunk;
    }

    /**
     * @param bufferSize when > 0, the writer's send buffer and the reader's receive buffer, kept small so that a
     *                   peer that does not read fills them quickly.
     * @return a non-blocking writer end and a blocking reader end whose reads time out.
     */
    private SocketChannel[] connectedPair(final int bufferSize) throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        closeables.add(server);
        if (bufferSize > 0)
        {
            server.setOption(StandardSocketOptions.SO_RCVBUF, bufferSize);
        }
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        final SocketChannel writer = SocketChannel.open();
        closeables.add(writer);
        if (bufferSize > 0)
        {
            writer.setOption(StandardSocketOptions.SO_SNDBUF, bufferSize);
        }
        writer.connect(server.getLocalAddress());
        writer.configureBlocking(false);
        final SocketChannel reader = server.accept();
        closeables.add(reader);
        reader.socket().setSoTimeout(READ_TIMEOUT_MS);
        return new SocketChannel[]{writer, reader};
    }

    /** Reads what has arrived (at least one byte; fails after the timeout). */
    private static void readSome(final InputStream peer, final ByteArrayOutputStream received) throws IOException
    {
        final byte[] buffer = new byte[16 * 1024];
        final int read = peer.read(buffer);
        if (read < 0)
        {
            throw new AssertionError("the peer saw end of stream after " + received.size() + " bytes");
        }
        received.write(buffer, 0, read);
    }

    private static void readUpTo(final InputStream peer, final ByteArrayOutputStream received, final int total)
        throws IOException
    {
        while (received.size() < total)
        {
            readSome(peer, received);
        }
    }
}
