package dev.warren.engine.edge;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Front-door listeners with one socket per event loop (SO_REUSEPORT, Linux): every loop accepts, a client's requests
 * stay on the loop that accepted it, and the address still cannot be taken twice.
 */
class FrontDoorAcceptorTest
{
    private static final byte[] BODY = "hello from the origin\n".getBytes(StandardCharsets.US_ASCII);

    private HttpServer origin;
    private EchoServer echo;
    private EdgeRuntime edge;
    private Connector connector;

    @BeforeEach
    void setUp() throws IOException
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        origin.createContext("/", exchange ->
        {
            exchange.sendResponseHeaders(200, BODY.length);
            exchange.getResponseBody().write(BODY);
            exchange.close();
        });
        origin.start();
        echo = new EchoServer();
        edge = (EdgeRuntime)Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .service(ServiceConfig.http("web", Tunnels.TUNNEL, "127.0.0.1", origin.getAddress().getPort(), 0,
                CertVerification.VERIFY_FULL))
            .service(ServiceConfig.tcp("echo", Tunnels.TUNNEL, "127.0.0.1", echo.port()))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "web"))
            .listener(ListenerConfig.connect(new InetSocketAddress("127.0.0.1", 0), "echo", null))
            .eventLoops(2)
            .build());
        // Four tunnel connections: the edge spreads them over its loops, two each.
        connector = Tunnels.connector(edge, Tunnels.connectorConfig(edge).haConnections(4).build());
    }

    @AfterEach
    void tearDown()
    {
        if (connector != null)
        {
            connector.close();
        }
        if (edge != null)
        {
            edge.close();
        }
        echo.close();
        origin.stop(0);
    }

    @Test
    void shouldAcceptOnEveryLoopAndKeepEachClientOnTheLoopThatAcceptedIt() throws Exception
    {
        assumeTrue(FrontDoorAcceptor.LISTENER_PER_LOOP, "one socket per loop only on Linux");
        final HttpFrontDoor door = (HttpFrontDoor)edge.frontDoor(0);
        final FrontDoorAcceptor[] acceptors = door.acceptors();
        assertEquals(2, acceptors.length, "one listening socket per event loop");
        assertFalse(acceptors[0].loop() == acceptors[1].loop(), "each socket on its own loop");
        assertTrue(TunnelRegistry.evenOverLoops(edge.registry().connections(Tunnels.TUNNEL)),
            "the four tunnel connections are two on each loop (else the chooser does not prefer the caller's loop)");
        final int port = edge.listenerAddresses().get(0).getPort();
        final int clients = 64;
        for (int i = 0; i < clients; i++)
        {
            try (Socket client = new Socket("127.0.0.1", port))
            {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("GET /n" + i + " HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                final String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                assertTrue(answer.endsWith("\r\n\r\n" + new String(BODY, StandardCharsets.US_ASCII)), answer);
            }
        }
        final long first = accepted(acceptors[0]);
        final long second = accepted(acceptors[1]);
        assertEquals(clients, first + second);
        // The kernel hashes each connection to a socket: 64 clients all on one of two sockets is a 2^-63 chance.
        assertTrue(first > 0 && second > 0, "both sockets accepted: " + first + " and " + second);
        assertEquals(0, door.loopMoves.sum(), "every first request went out on a tunnel connection of its own loop");
    }

    @Test
    void shouldShareChurnedClientsEvenlyBetweenTwoReplicas() throws Exception
    {
        assumeTrue(FrontDoorAcceptor.LISTENER_PER_LOOP, "one socket per loop only on Linux");
        connector.close();
        connector = null;
        Tunnels.await("the first connector gone", () -> edge.liveConnections(Tunnels.TUNNEL) == 0, 10_000);
        final InetSocketAddress anyPort = new InetSocketAddress("127.0.0.1", 0);
        try (Connector one = Warren.startConnector(Tunnels.connectorConfig(edge).metricsListen(anyPort).build());
             Connector two = Warren.startConnector(Tunnels.connectorConfig(edge).metricsListen(anyPort).build()))
        {
            Tunnels.await("both replicas connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 4, 10_000);
            final int port = edge.listenerAddresses().get(0).getPort();
            final int clients = 200;
            for (int i = 0; i < clients; i++)
            {
                try (Socket client = new Socket("127.0.0.1", port))
                {
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write("GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                    final String answer = new String(client.getInputStream().readAllBytes(),
                        StandardCharsets.ISO_8859_1);
                    assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                }
            }
            final long first = streamsOpened(one);
            final long second = streamsOpened(two);
            assertEquals(clients, first + second);
            // Each replica has half of the connections: half of the clients each, give or take the kernel's spread of
            // 200 clients over two sockets (one standard deviation is 7 clients; the bounds are more than four).
            assertTrue(first >= 65 && first <= 135, "replica one served " + first + " of " + clients);
        }
    }

    /** A connector's {@code warren_connector_streams_opened_total}, read from its /metrics. */
    private static long streamsOpened(final Connector connector) throws IOException
    {
        final java.net.URL url = new java.net.URL("http://127.0.0.1:" + connector.metricsAddress().getPort() + "/metrics");
        try (InputStream in = url.openStream())
        {
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
            {
                if (line.startsWith("warren_connector_streams_opened_total{"))
                {
                    return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim());
                }
            }
        }
        throw new AssertionError("no warren_connector_streams_opened_total in the connector's /metrics");
    }

    @Test
    void shouldAcceptConnectClientsOnEveryLoop() throws Exception
    {
        assumeTrue(FrontDoorAcceptor.LISTENER_PER_LOOP, "one socket per loop only on Linux");
        final FrontDoorAcceptor[] acceptors = edge.frontDoor(1).acceptors();
        assertEquals(2, acceptors.length);
        final int port = edge.listenerAddresses().get(1).getPort();
        final int clients = 48;
        for (int i = 0; i < clients; i++)
        {
            try (Socket client = new Socket("127.0.0.1", port))
            {
                client.setSoTimeout(10_000);
                final byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                final OutputStream out = client.getOutputStream();
                out.write(line);
                final InputStream in = client.getInputStream();
                assertArrayEquals(line, in.readNBytes(line.length), "client " + i + " echoed");
            }
        }
        final long first = accepted(acceptors[0]);
        final long second = accepted(acceptors[1]);
        assertEquals(clients, first + second);
        assertTrue(first > 0 && second > 0, "both sockets accepted: " + first + " and " + second);
    }

    @Test
    void shouldRefuseAListenAddressAnotherEdgeListensOn()
    {
        final InetSocketAddress taken = edge.listenerAddresses().get(0);
        final UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> Warren.startEdge(
            EdgeConfig.builder()
                .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
                .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
                .service(ServiceConfig.tcp("echo", Tunnels.TUNNEL, "127.0.0.1", echo.port()))
                .listener(ListenerConfig.connect(taken, "echo", null))
                .eventLoops(2)
                .build()).close());
        assertTrue(failure.getMessage().contains("cannot bind listener " + taken), failure.getMessage());
    }

    @Test
    void shouldRefuseAListenAddressAPlainSocketHolds() throws IOException
    {
        try (ServerSocket plain = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1")))
        {
            final InetSocketAddress taken = new InetSocketAddress("127.0.0.1", plain.getLocalPort());
            final IOException failure = assertThrows(IOException.class, () -> FrontDoorAcceptor.bind(taken, 2));
            assertTrue(failure.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use"), failure.toString());
            // an edge whose second listener's port is taken names that listener, and leaves the first one's port free
            final InetSocketAddress free = new InetSocketAddress("127.0.0.1", freePort());
            final UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> Warren.startEdge(
                EdgeConfig.builder()
                    .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
                    .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
                    .service(ServiceConfig.tcp("echo", Tunnels.TUNNEL, "127.0.0.1", echo.port()))
                    .listener(ListenerConfig.connect(free, "echo", null))
                    .listener(ListenerConfig.connect(taken, "echo", null))
                    .eventLoops(2)
                    .build()).close());
            assertTrue(refused.getMessage().contains("cannot bind listener " + taken), refused.getMessage());
            try (ServerSocket again = new ServerSocket())
            {
                again.bind(free); // no socket of the refused edge holds it
            }
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            return probe.getLocalPort();
        }
    }

    @Test
    void shouldBindEverySocketOfAListenerToOnePort() throws IOException
    {
        final ServerSocketChannel[] sockets = FrontDoorAcceptor.bind(new InetSocketAddress("127.0.0.1", 0), 3);
        try
        {
            assertEquals(FrontDoorAcceptor.LISTENER_PER_LOOP ? 3 : 1, sockets.length);
            final int port = ((InetSocketAddress)sockets[0].getLocalAddress()).getPort();
            assertTrue(port > 0);
            for (final ServerSocketChannel socket : sockets)
            {
                assertEquals(port, ((InetSocketAddress)socket.getLocalAddress()).getPort());
                assertFalse(socket.isBlocking());
            }
            final ServerSocketChannel[] lone = FrontDoorAcceptor.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            assertEquals(1, lone.length, "one loop, one socket");
            FrontDoorAcceptor.close(lone[0]);
        }
        finally
        {
            for (final ServerSocketChannel socket : sockets)
            {
                FrontDoorAcceptor.close(socket);
            }
        }
    }

    private static long accepted(final FrontDoorAcceptor acceptor)
    {
        return acceptor.loop().submit(acceptor::accepted).join();
    }
}
