package dev.warren.engine;

import dev.warren.Warren;
import dev.warren.api.ConnectOptions;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.support.ConnectorProcess;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP front doors (SPEC §6 {@code connect:} listeners) with ordinary blocking socket clients. */
class FrontDoorTest
{
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final EchoServer echo = new EchoServer();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private Edge edge;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final Process process : processes)
        {
            process.destroyForcibly();
        }
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
        if (edge != null)
        {
            edge.close();
        }
        echo.close();
    }

    private Edge edgeWith(final String refusedTarget)
    {
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(ANY_PORT)
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .service(ServiceConfig.tcp("echo-svc", Tunnels.TUNNEL, "127.0.0.1", echo.port()))
            .listener(ListenerConfig.connect(ANY_PORT, Tunnels.NETWORK, echo.address()))
            .listener(ListenerConfig.connect(ANY_PORT, "echo-svc", null))
            .listener(ListenerConfig.connect(ANY_PORT, Tunnels.NETWORK, refusedTarget))
            .eventLoops(2)
            .build());
        return edge;
    }

    private static Socket client(final InetSocketAddress address) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] readAll(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    @Test
    void shouldRelayAClientThroughANetworkListenerAndAServiceListenerWithHalfClose() throws Exception
    {
        edgeWith("127.0.0.1:9");
        closeables.add(Tunnels.connector(edge));
        for (final InetSocketAddress door : edge.listenerAddresses().subList(0, 2))
        {
            try (Socket socket = client(door))
            {
                final byte[] request = Payloads.random(door.getPort(), 100_000);
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
                assertArrayEquals(request, readAll(socket.getInputStream()), "through " + door);
            }
        }
    }

    @Test
    void shouldCarry16MiBThroughAFrontDoorIntact() throws Exception
    {
        edgeWith("127.0.0.1:9");
        closeables.add(Tunnels.connector(edge));
        try (Socket socket = client(edge.listenerAddresses().get(0)))
        {
            final long total = 16L * 1024 * 1024;
            final MessageDigest sent = Payloads.sha256();
            final CompletableFuture<byte[]> writer = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    final OutputStream out = socket.getOutputStream();
                    for (long written = 0; written < total; written += 64 * 1024)
                    {
                        final byte[] chunk = Payloads.random(written, 64 * 1024);
                        sent.update(chunk);
                        out.write(chunk);
                    }
                    socket.shutdownOutput();
                    return sent.digest();
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            final MessageDigest received = Payloads.sha256();
            final InputStream in = socket.getInputStream();
            final byte[] buffer = new byte[64 * 1024];
            long count = 0;
            int n;
            while ((n = in.read(buffer)) > 0)
            {
                received.update(buffer, 0, n);
                count += n;
            }
            assertEquals(total, count);
            assertArrayEquals(writer.get(30, TimeUnit.SECONDS), received.digest());
        }
        Tunnels.await("pools back to zero", () -> Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) == 0, 5_000);
    }

    @Test
    void shouldReachATcpServiceThroughItsBinding() throws Exception
    {
        edgeWith("127.0.0.1:9");
        closeables.add(Tunnels.connector(edge));
        final TcpSocket socket = edge.service("echo-svc").connect();
        final SocketReader reader = SocketReader.keeping();
        socket.readable().subscribe(reader);
        socket.write(ByteBuffer.wrap("fixed target".getBytes())).get(5, TimeUnit.SECONDS);
        socket.closeWrite();
        reader.done().get(5, TimeUnit.SECONDS);
        assertEquals("fixed target", new String(reader.keptBytes()));
    }

    @Test
    void shouldResetTheClientWhenTheStreamFails() throws Exception
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }
        edgeWith("127.0.0.1:" + closedPort);
        closeables.add(Tunnels.connector(edge));
        assertThrows(SocketException.class, () ->
        {
            try (Socket socket = client(edge.listenerAddresses().get(2))) // the reset may come while connecting
            {
                readAll(socket.getInputStream());
            }
        }, "a refused target must reset the client, not end its stream cleanly");
    }

    @Test
    void shouldResetClientsWithoutAConnectorAndWhenTheConnectorDiesThenRecover() throws Exception
    {
        edgeWith("127.0.0.1:9");
        final InetSocketAddress door = edge.listenerAddresses().get(0);
        assertThrows(SocketException.class, () ->
        {
            try (Socket socket = client(door)) // the reset may already arrive while connecting
            {
                readAll(socket.getInputStream());
            }
        }, "no connector: reset");

        processes.add(ConnectorProcess.start(edge.tunnelAddress().getPort(), 2));
        Tunnels.await("connector process connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 20_000);
        final Socket open = client(door);
        closeables.add(open);
        open.getOutputStream().write("before".getBytes());
        final byte[] echoed = new byte[6];
        open.getInputStream().readNBytes(echoed, 0, 6);
        assertEquals("before", new String(echoed));

        processes.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThrows(SocketException.class, () -> readAll(open.getInputStream()),
            "killing the connector must reset front-door clients, not hang them or end them cleanly");

        processes.add(ConnectorProcess.start(edge.tunnelAddress().getPort(), 2));
        Tunnels.await("restarted connector connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 20_000);
        try (Socket socket = client(door))
        {
            socket.getOutputStream().write("after".getBytes());
            socket.shutdownOutput();
            assertEquals("after", new String(readAll(socket.getInputStream())));
        }
    }

    @Test
    void shouldRefuseToStartWhatIsNotSupportedYet()
    {
        final IllegalArgumentException fetch = assertThrows(IllegalArgumentException.class, () -> Warren.startEdge(
            EdgeConfig.builder().tunnelListen(ANY_PORT).tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
                .service(ServiceConfig.http("tls-only", Tunnels.TUNNEL, "127.0.0.1", 0, 8443,
                    dev.warren.api.CertVerification.VERIFY_FULL))
                .listener(ListenerConfig.fetch(ANY_PORT, "tls-only")).build()));
        assertTrue(fetch.getMessage().contains("needs the service's httpPort"), fetch.getMessage());
    }

    @Test
    void shouldRefuseConnectOnAnHttpService()
    {
        edge = Warren.startEdge(EdgeConfig.builder().tunnelListen(ANY_PORT).tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .service(ServiceConfig.http("web", Tunnels.TUNNEL, "127.0.0.1", 8080, 0,
                dev.warren.api.CertVerification.VERIFY_FULL))
            .build());
        final WarrenException error = assertThrows(WarrenException.class,
            () -> edge.service("web").connect(ConnectOptions.DEFAULTS));
        assertEquals(ErrorCode.REQUEST_INVALID, error.code());
    }
}
