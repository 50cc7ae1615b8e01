package dev.warren.engine;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        connector = Tunnels.connector(edge);
    }

    @AfterEach
    void tearDown()
    {
        connector.close();
        edge.close();
        echo.close();
    }

    @Test
    void shouldEchoThroughTheTunnel() throws Exception
    {
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
}
