package dev.warren.engine;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** connect() through a real edge and connector to a real echo server on loopback. */
class ConnectEndToEndTest
{
    private EchoServer echo;
    private Edge edge;
    private Connector connector;

    @BeforeEach
    void setUp()
    {
        echo = new EchoServer();
        edge = Tunnels.edge();
    }

    @AfterEach
    void tearDown()
    {
        if (connector != null)
        {
            connector.close();
        }
        edge.close();
        echo.close();
    }

    @Test
    void shouldEchoThroughTheTunnel() throws Exception
    {
        connector = Tunnels.connector(edge);
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        final SocketInfo info = socket.opened().get(5, TimeUnit.SECONDS);
        assertTrue(info.remoteAddress().endsWith(":" + echo.port()), info.toString());
        final SocketReader reader = SocketReader.keeping();
        socket.readable().subscribe(reader);
        final byte[] hello = "hello through the tunnel".getBytes(StandardCharsets.US_ASCII);
        socket.write(ByteBuffer.wrap(hello)).get(5, TimeUnit.SECONDS);
        socket.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(5, TimeUnit.SECONDS);
        assertArrayEquals(hello, reader.keptBytes());
        socket.closed().get(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldCarry64MiBEachWayIntact() throws Exception
    {
        connector = Tunnels.connector(edge);
        final long total = 64L * 1024 * 1024;
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        final SocketReader reader = new SocketReader(false, 64);
        socket.readable().subscribe(reader);
        final byte[] sent = Payloads.writeRandom(socket, 42, total, 256 * 1024).get(60, TimeUnit.SECONDS);
        reader.done().get(60, TimeUnit.SECONDS);
        assertEquals(total, reader.bytes());
        assertArrayEquals(sent, reader.sha256(), "SHA-256 of the echoed 64 MiB");
        socket.closed().get(5, TimeUnit.SECONDS);
        assertPoolsReturnToZero();
    }

    @Test
    void shouldEcho64KiBOnEachOf1000ConcurrentStreamsOnOneTunnelConnection() throws Exception
    {
        connector = Tunnels.connector(edge, Tunnels.connectorConfig(edge).haConnections(1).build());
        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        final int streams = 1000;
        final List<TcpSocket> sockets = new ArrayList<>();
        final List<SocketReader> readers = new ArrayList<>();
        final List<CompletableFuture<byte[]>> written = new ArrayList<>();
        for (int i = 0; i < streams; i++)
        {
            final TcpSocket socket = network.connect(echo.address());
            final SocketReader reader = new SocketReader(false, 8);
            socket.readable().subscribe(reader);
            sockets.add(socket);
            readers.add(reader);
        }
        for (int i = 0; i < streams; i++)
        {
            written.add(Payloads.writeRandom(sockets.get(i), i, 64 * 1024, 16 * 1024));
        }
        for (int i = 0; i < streams; i++)
        {
            final byte[] sent = written.get(i).get(60, TimeUnit.SECONDS);
            readers.get(i).done().get(60, TimeUnit.SECONDS);
            assertEquals(64 * 1024, readers.get(i).bytes(), "stream " + i);
            assertArrayEquals(sent, readers.get(i).sha256(), "stream " + i);
        }
        for (final TcpSocket socket : sockets)
        {
            socket.closed().get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, edge.liveConnections(Tunnels.TUNNEL));
        assertTrue(echo.accepted() >= streams);
        assertPoolsReturnToZero();
    }

    private void assertPoolsReturnToZero()
    {
        Tunnels.await("edge and connector pools back to zero in use",
            () -> Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) == 0 &&
                Tunnels.buffersInUse(((ConnectorRuntime)connector).loops()) == 0, 5_000);
    }
}
