package dev.warren.engine;

import dev.warren.Warren;
import dev.warren.api.ConnectOptions;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.SecureTransport;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.LogCapture;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each SPEC §5 code the connect() path can produce, from a real cause on loopback. */
class ErrorCodesTest
{
    private final Edge edge = Tunnels.edge();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
        edge.close();
    }

    private dev.warren.api.ConnectorConfig narrowConfig(final String... allow)
    {
        return dev.warren.api.ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .haConnections(1)
            .eventLoops(1)
            .allow(allow)
            .insecure(true)
            .build();
    }

    private static WarrenException failure(final CompletableFuture<?> future) throws Exception
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(WarrenException.class, ex.getCause());
    }

    @Test
    void shouldFailWithDestinationUnavailableWhenNoConnectorIsConnected() throws Exception
    {
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect("127.0.0.1:9");
        final WarrenException error = failure(socket.opened());
        assertEquals(ErrorCode.DESTINATION_UNAVAILABLE, error.code());
        assertTrue(error.getMessage().contains("office-net") && error.getMessage().contains("127.0.0.1:9"),
            error.getMessage());
        assertEquals(ErrorCode.DESTINATION_UNAVAILABLE, failure(socket.closed()).code());
    }

    @Test
    void shouldRefuseAWrongTokenLogItAndOpenNoStream() throws Exception
    {
        try (LogCapture log = new LogCapture("dev.warren.edge"); EchoServer echo = new EchoServer())
        {
            final Connector impostor = Warren.startConnector(Tunnels.connectorConfig(edge)
                .tunnel(Tunnels.TUNNEL, "not-the-token-0123456789").build());
            closeables.add(impostor);
            Tunnels.await("failed authentication logged", () -> log.contains("failed authentication"), 10_000);
            assertTrue(log.records().stream().anyMatch(r -> r.getLevel() == Level.WARNING &&
                r.getMessage().contains("tunnel 'office'")));
            assertTrue(log.records().stream().noneMatch(r -> r.getMessage().contains("not-the-token")),
                "the token must never be logged");
            assertEquals(0, edge.liveConnections(Tunnels.TUNNEL));
            assertEquals(0, impostor.liveConnections());
            final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
            assertEquals(ErrorCode.DESTINATION_UNAVAILABLE, failure(socket.opened()).code());
            assertEquals(0, echo.accepted());
        }
    }

    @Test
    void shouldRateLimitAnAddressThatKeepsFailingAuthentication() throws Exception
    {
        try (LogCapture log = new LogCapture("dev.warren.edge"))
        {
            final Connector impostor = Warren.startConnector(Tunnels.connectorConfig(edge).haConnections(1)
                .tunnel(Tunnels.TUNNEL, "guessing-the-token-01234").reconnect(Duration.ofMillis(5), Duration.ofMillis(20))
                .build());
            closeables.add(impostor);
            Tunnels.await("the edge starts refusing the address", () -> log.contains("too many failed authentications"),
                20_000);
            final long failures = log.records().stream().filter(r -> r.getMessage().contains("failed authentication"))
                .count();
            assertTrue(failures >= 10 && failures <= 12, failures + " failed handshakes before the limit");
            // The address is refused before any handshake now, so even the right token waits for the window.
            final Connector rightful = Warren.startConnector(Tunnels.connectorConfig(edge).haConnections(1).build());
            closeables.add(rightful);
            assertEquals(0, edge.liveConnections(Tunnels.TUNNEL));
            assertTrue(log.records().stream().filter(r -> r.getMessage().contains("failed authentication")).count() <=
                12, "no more handshakes are run for the refused address");
        }
    }

    @Test
    void shouldFailWithDestinationNotAllowedOutsideTheAllowList() throws Exception
    {
        try (EchoServer echo = new EchoServer())
        {
            final VpcNetwork network = edge.network(Tunnels.NETWORK);
            // Only 127.0.0.2 port 7 and db.internal:5432 are allowed. (No range covers ports 5432/5433, so the
            // names below are refused without a DNS query: tests send nothing off this machine.)
            closeables.add(Tunnels.connector(edge, narrowConfig("127.0.0.2/32:7", "db.internal:5432")));

            assertEquals(ErrorCode.DESTINATION_NOT_ALLOWED, failure(network.connect(echo.address()).opened()).code());
            assertEquals(ErrorCode.DESTINATION_NOT_ALLOWED, failure(network.connect("db.internal:5433").opened()).code());
            assertEquals(ErrorCode.DESTINATION_NOT_ALLOWED, failure(network.connect("other.internal:5432").opened()).code());
            final WarrenException error = failure(network.connect("[::1]:" + echo.port()).opened());
            assertEquals(ErrorCode.DESTINATION_NOT_ALLOWED, error.code());
            assertTrue(error.getMessage().contains("allow-list"), error.getMessage());
            assertEquals(0, echo.accepted(), "nothing outside the allow-list may be dialed");
        }
    }

    @Test
    void shouldFailWithConnectionRefusedOnAClosedPort() throws Exception
    {
        closeables.add(Tunnels.connector(edge));
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect("127.0.0.1:" + port);
        final WarrenException error = failure(socket.opened());
        assertEquals(ErrorCode.CONNECTION_REFUSED, error.code());
        assertEquals(ErrorCode.CONNECTION_REFUSED, failure(socket.closed()).code());
    }

    @Test
    void shouldFailWithConnectionTimeoutWhenTheHostNeverAnswers() throws Exception
    {
        closeables.add(Tunnels.connector(edge, Tunnels.connectorConfig(edge)
            .connectTimeout(Duration.ofMillis(700)).build()));
        final dev.warren.engine.support.Blackhole blackhole = new dev.warren.engine.support.Blackhole();
        closeables.add(blackhole);
        final int port = blackhole.port();

        final long start = System.nanoTime();
        final WarrenException error = failure(edge.network(Tunnels.NETWORK).connect("127.0.0.1:" + port).opened());
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ErrorCode.CONNECTION_TIMEOUT, error.code());
        assertTrue(elapsedMs >= 600, "timed out after only " + elapsedMs + " ms");

        // A per-call timeout shorter than the connector's applies.
        final long start2 = System.nanoTime();
        final WarrenException error2 = failure(edge.network(Tunnels.NETWORK).connect("127.0.0.1:" + port,
            ConnectOptions.builder().connectTimeout(Duration.ofMillis(200)).build()).opened());
        final long elapsed2 = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start2);
        assertEquals(ErrorCode.CONNECTION_TIMEOUT, error2.code());
        assertTrue(elapsed2 >= 150 && elapsed2 < 700, "per-call timeout took " + elapsed2 + " ms");
    }

    @Test
    void shouldRejectMalformedAddressesAndUnsupportedOptionsAsRequestInvalid()
    {
        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        for (final String address : new String[]{"", "host", "host:", "host:0", "host:65536", "::1:80", "[::1]",
            "[nope]:80", "a b:80", "host:80x", "h\u00e9:80", "-:99999999999"})
        {
            final WarrenException error = assertThrows(WarrenException.class, () -> network.connect(address),
                "address '" + address + "'");
            assertEquals(ErrorCode.REQUEST_INVALID, error.code(), address);
        }
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder()
            .secureTransport(SecureTransport.ON).expectedServerHostname(" ").build());
        assertThrows(IllegalArgumentException.class, () -> edge.network("no-such-binding"));
    }

    @Test
    void shouldReachAnAllowedHostName() throws Exception
    {
        try (EchoServer echo = new EchoServer())
        {
            closeables.add(Tunnels.connector(edge, narrowConfig("localhost:" + echo.port())));
            final TcpSocket socket = edge.network(Tunnels.NETWORK).connect("localhost:" + echo.port());
            socket.opened().get(10, TimeUnit.SECONDS);
            socket.readable().subscribe(new SocketReader(false, 1));
            socket.close();
            socket.closed().get(10, TimeUnit.SECONDS);
        }
    }
}
