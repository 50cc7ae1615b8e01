package dev.warren.engine;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.tunnel.TunnelStream;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A private host that stops reading must stop the caller, hold bounded memory, and not stall other streams. */
class BackpressureTest
{
    private final EchoServer stuck = new EchoServer(false);
    private final EchoServer echo = new EchoServer(true);
    private final Edge edge = Tunnels.edge();
    private Connector connector;

    @AfterEach
    void tearDown()
    {
        if (connector != null)
        {
            connector.close();
        }
        edge.close();
        stuck.close();
        echo.close();
    }

    @Test
    void shouldStopCompletingWritesBoundMemoryAndKeepOtherStreamsFlowing() throws Exception
    {
        connector = Tunnels.connector(edge, Tunnels.connectorConfig(edge).haConnections(1).build());
        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        final TcpSocket slow = network.connect(stuck.address());
        slow.opened().get(5, TimeUnit.SECONDS);

        final ByteBuffer chunk = ByteBuffer.wrap(Payloads.random(1, 64 * 1024));
        final long limit = 256L * 1024 * 1024;
        long written = 0;
        CompletableFuture<Void> blocked = null;
        while (written < limit)
        {
            final CompletableFuture<Void> write = slow.write(chunk.duplicate());
            try
            {
                write.get(2, TimeUnit.SECONDS);
                written += chunk.capacity();
            }
            catch (final TimeoutException ex)
            {
                blocked = write;
                break;
            }
        }
        if (blocked == null)
        {
            fail("wrote " + written + " bytes to a host that reads nothing and no write ever waited");
        }

        // What the connector holds for the stuck stream is within the stream's window (which may have grown while
        // the host's socket buffers were filling fast, but never past the maximum).
        final long[] fullest = ((ConnectorRuntime)connector).fullestStream();
        final long held = fullest[0];
        final long window = fullest[1];
        assertTrue(held > 0, "the stuck stream should hold up to its window, holds " + held);
        assertTrue(held <= window, "connector holds " + held + " bytes for one stream, its window is " + window);
        assertTrue(window <= TunnelStream.MAX_STREAM_WINDOW, "window " + window);
        final int chunks = Tunnels.buffersInUse(((ConnectorRuntime)connector).loops());
        assertTrue((long)chunks * BufferPool.CHUNK_SIZE <= window + 4L * BufferPool.CHUNK_SIZE,
            chunks + " pooled chunks in use at the connector for a window of " + window);

        // Another stream on the same tunnel connection still flows.
        final TcpSocket fast = network.connect(echo.address());
        final SocketReader reader = new SocketReader(false, 16);
        fast.readable().subscribe(reader);
        final byte[] sent = Payloads.writeRandom(fast, 7, 4L * 1024 * 1024, 64 * 1024).get(20, TimeUnit.SECONDS);
        reader.done().get(20, TimeUnit.SECONDS);
        assertArrayEquals(sent, reader.sha256());
        assertEquals(1, edge.liveConnections(Tunnels.TUNNEL));

        // Still blocked: nothing was read by the stuck host in the meantime.
        assertFalse(blocked.isDone(), "the stuck stream's write completed although its host reads nothing");
        slow.abort();
        assertTrue(blocked.isCompletedExceptionally() || blocked.handle((v, e) -> e != null).get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldStopTheSenderWhenTheCallerStopsReading() throws Exception
    {
        connector = Tunnels.connector(edge, Tunnels.connectorConfig(edge).haConnections(1).build());
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        final SocketReader reader = new SocketReader(false, 0);
        socket.readable().subscribe(reader);
        final ByteBuffer chunk = ByteBuffer.wrap(Payloads.random(2, 64 * 1024));
        CompletableFuture<Void> blocked = null;
        for (long written = 0; written < 256L * 1024 * 1024; written += chunk.capacity())
        {
            final CompletableFuture<Void> write = socket.write(chunk.duplicate());
            try
            {
                write.get(2, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                blocked = write;
                break;
            }
        }
        assertTrue(blocked != null, "writes never waited although nobody reads the echo");
        // The caller now reads: everything flows again.
        reader.request(Long.MAX_VALUE);
        blocked.get(10, TimeUnit.SECONDS);
        socket.abort();
    }
}
