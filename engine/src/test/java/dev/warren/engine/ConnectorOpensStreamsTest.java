package dev.warren.engine;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.TcpSocket;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.HostileFrames;
import dev.warren.engine.support.RawConnector;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue #7: a connector with a valid token asking to open streams it must not. Only the edge opens streams
 * (PROTOCOL.md §3): an {@code OPEN} from an authenticated connector is a protocol breach, answered with
 * {@code GO_AWAY(protocol_error)} and the end of that tunnel connection, never a dial and never a binding. A recording
 * server on 127.0.0.9, named by every such OPEN, sees no connection (the real connector beside it allows all of
 * 127.0.0.0/8 and would dial it if the edge relayed the OPEN), and a stream through the real connector echoes
 * throughout.
 */
class ConnectorOpensStreamsTest
{
    private EchoServer echo;
    private Edge edge;
    private Connector connector;
    private ServerSocket forbidden;
    private final AtomicInteger forbiddenAccepted = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException
    {
        echo = new EchoServer();
        forbidden = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.9"));
        final Thread acceptor = new Thread(() ->
        {
            while (!forbidden.isClosed())
            {
                try (Socket socket = forbidden.accept())
                {
                    forbiddenAccepted.incrementAndGet();
                }
                catch (final IOException ex)
                {
                    // closed
                }
            }
        }, "forbidden");
        acceptor.setDaemon(true);
        acceptor.start();
        edge = Tunnels.edge();
        connector = Tunnels.connector(edge);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        connector.close();
        edge.close();
        echo.close();
        forbidden.close();
    }

    @Test
    void shouldEndTheConnectionOfAConnectorThatSendsOpenAndDialNothing() throws Exception
    {
        final TcpSocket healthy = edge.network(Tunnels.NETWORK).connect(echo.address());
        healthy.opened().get(5, TimeUnit.SECONDS);
        final SocketReader reader = SocketReader.keeping();
        healthy.readable().subscribe(reader);
        final int live = edge.liveConnections(Tunnels.TUNNEL);
        final String host = forbidden.getInetAddress().getHostAddress();
        final int port = forbidden.getLocalPort();
        final byte[][] breaches = {
            HostileFrames.open(1, TunnelFrameEncoder.KIND_TCP, host, port, 1_000),
            HostileFrames.open(2, TunnelFrameEncoder.KIND_HTTP, host, port, 1_000),
            HostileFrames.open(0x7fff_fffe, TunnelFrameEncoder.KIND_TCP, "127.0.0.1", echo.port(), 0),
            // an OPEN with its request right behind it, in one write
            HostileFrames.concat(HostileFrames.open(3, TunnelFrameEncoder.KIND_HTTP, host, port, 1_000),
                HostileFrames.frame(FrameHeader.TYPE_DATA, FrameHeader.FLAG_FIN, 3,
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
            // after a ping is answered: the connection was healthy until the OPEN
            HostileFrames.concat(HostileFrames.ping(false, 42), HostileFrames.open(5, TunnelFrameEncoder.KIND_TCP,
                host, port, 1_000)),
        };
        final ByteBuffer sent = ByteBuffer.allocate(64 * breaches.length);
        for (int i = 0; i < breaches.length; i++)
        {
            try (RawConnector raw = new RawConnector(edge.tunnelAddress(), "OPEN from the connector, case " + i))
            {
                raw.authenticate(Tunnels.TUNNEL, Tunnels.TOKEN, HostileFrames.nonce(i));
                Tunnels.await("the raw connector counted live", () -> edge.liveConnections(Tunnels.TUNNEL) == live + 1,
                    2_000);
                raw.write(breaches[i]);
                raw.assertGoAwayThenEof(WireCode.PROTOCOL_ERROR);
                assertEquals(0, raw.out.count(FrameHeader.TYPE_OPEN_ACK), raw.what + ": " + raw.out);
                assertEquals(0, raw.out.count(FrameHeader.TYPE_DATA), raw.what + ": " + raw.out);
            }
            Tunnels.await("the tunnel's live connections back to " + live,
                () -> edge.liveConnections(Tunnels.TUNNEL) == live, 2_000);
            // the healthy stream still echoes
            final byte[] chunk = ("round " + i + "\n").getBytes(StandardCharsets.US_ASCII);
            sent.put(chunk);
            healthy.write(ByteBuffer.wrap(chunk)).get(5, TimeUnit.SECONDS);
            final int expected = sent.position();
            Tunnels.await("echo of round " + i, () -> reader.keptBytes().length == expected, 5_000);
        }
        healthy.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(5, TimeUnit.SECONDS);
        assertArrayEquals(java.util.Arrays.copyOf(sent.array(), sent.position()), reader.keptBytes());
        assertEquals(0, forbiddenAccepted.get(), "connections to the address the OPENs named");
        assertEquals(live, edge.liveConnections(Tunnels.TUNNEL), "the real connector's connections are untouched");
    }
}
