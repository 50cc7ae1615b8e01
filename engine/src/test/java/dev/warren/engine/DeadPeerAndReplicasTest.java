package dev.warren.engine;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.support.ConnectorProcess;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dead-peer detection against a frozen connector process, and stream balance across replicas. */
class DeadPeerAndReplicasTest
{
    private static final long PING_INTERVAL_MS = 400;

    private final EchoServer echo = new EchoServer();
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        for (final Process process : processes)
        {
            signal(process, "CONT");
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
        echo.close();
    }

    private static void signal(final Process process, final String name) throws IOException, InterruptedException
    {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldDeclareAFrozenConnectorDeadWithinTwicePingIntervalAndResetItsClients(@TempDir final Path dir)
        throws Exception
    {
        final int tunnelPort = freePort();
        final int doorPort = freePort();
        final Path yaml = dir.resolve("edge.yaml");
        Files.writeString(yaml, String.join("\n",
            "edge:",
            "  tunnelListen: 127.0.0.1:" + tunnelPort,
            "  tunnels:",
            "    - id: " + Tunnels.TUNNEL,
            "      token: " + Tunnels.TOKEN,
            "  networks:",
            "    - name: " + Tunnels.NETWORK,
            "      tunnel: " + Tunnels.TUNNEL,
            "  listeners:",
            "    - listen: 127.0.0.1:" + doorPort,
            "      connect: " + Tunnels.NETWORK,
            "      target: " + echo.address(),
            ""));
        final Path edgeLog = dir.resolve("edge.log");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ConnectorProcess.jvmFlags());
        command.add("-Dwarren.tunnel.pingIntervalMs=" + PING_INTERVAL_MS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.warren.cli.WarrenMain");
        command.add("edge");
        command.add("--config");
        command.add(yaml.toString());
        processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(edgeLog.toFile()).start());
        final Process connector = ConnectorProcess.start(tunnelPort, 1,
            List.of("-Dwarren.tunnel.pingIntervalMs=" + PING_INTERVAL_MS));
        processes.add(connector);
        Tunnels.await("connector connected", () -> log(edgeLog).contains("connector connected"), 20_000);

        final Socket client = new Socket();
        closeables.add(client);
        client.connect(new InetSocketAddress("127.0.0.1", doorPort), 5_000);
        client.setSoTimeout(10_000);
        client.getOutputStream().write("alive".getBytes(StandardCharsets.US_ASCII));
        assertEquals("alive", new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));

        signal(connector, "STOP");
        final long stoppedAt = System.nanoTime();
        Tunnels.await("edge declared the frozen connector dead", () -> log(edgeLog).contains("peer silent for"),
            10 * PING_INTERVAL_MS);
        final long detectedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
        final Matcher silence = Pattern.compile("peer silent for (\\d+) ms").matcher(log(edgeLog));
        assertTrue(silence.find(), log(edgeLog));
        final long silentMs = Long.parseLong(silence.group(1));
        System.out.println("frozen connector declared dead after " + silentMs + " ms of silence, " + detectedAfterMs +
            " ms after SIGSTOP (ping interval " + PING_INTERVAL_MS + " ms)");
        // 2 x the interval, plus one ~8 ms timer-wheel tick and scheduling slack.
        assertTrue(silentMs <= 2 * PING_INTERVAL_MS + 100, "declared dead after " + silentMs + " ms of silence");
        assertTrue(detectedAfterMs <= 2 * PING_INTERVAL_MS + 500, "detected " + detectedAfterMs + " ms after SIGSTOP");

        final InputStream in = client.getInputStream();
        assertThrows(SocketException.class, () -> in.transferTo(java.io.OutputStream.nullOutputStream()),
            "the front-door client of a dead tunnel is reset");
    }

    private static String log(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    @Test
    void shouldBalanceNewStreamsAcrossReplicasAndRecoverWhenOneReturns() throws Exception
    {
        final Edge edge = Tunnels.edge();
        closeables.add(edge);
        final Connector first = Tunnels.connector(edge);
        closeables.add(first);
        final ConnectorRuntime firstRuntime = (ConnectorRuntime)first;
        final Connector second = dev.warren.Warren.startConnector(Tunnels.connectorConfig(edge).build());
        closeables.add(second);
        Tunnels.await("both replicas connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 4, 10_000);

        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        final List<TcpSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            sockets.add(network.connect(echo.address()));
        }
        for (final TcpSocket socket : sockets)
        {
            socket.opened().get(10, TimeUnit.SECONDS);
        }
        final int onFirst = firstRuntime.openStreams();
        final int onSecond = ((ConnectorRuntime)second).openStreams();
        assertEquals(400, onFirst + onSecond);
        assertTrue(onFirst >= 160 && onFirst <= 240, "first replica carries " + onFirst + " of 400 streams");

        // One replica restarts: new streams go to the one that is back until the load evens out again.
        second.close();
        Tunnels.await("second replica gone", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 10_000);
        final int survivors = firstRuntime.openStreams();
        final Connector returned = dev.warren.Warren.startConnector(Tunnels.connectorConfig(edge).build());
        closeables.add(returned);
        Tunnels.await("replica back", () -> edge.liveConnections(Tunnels.TUNNEL) >= 4, 10_000);
        final List<TcpSocket> more = new ArrayList<>();
        for (int i = 0; i < survivors; i++)
        {
            more.add(network.connect(echo.address()));
        }
        for (final TcpSocket socket : more)
        {
            socket.opened().get(10, TimeUnit.SECONDS);
        }
        final int onReturned = ((ConnectorRuntime)returned).openStreams();
        assertTrue(onReturned >= survivors * 8 / 10, "the returned replica took " + onReturned + " of the " +
            survivors + " new streams while the other still held " + survivors);
        for (final TcpSocket socket : sockets)
        {
            socket.abort();
        }
        for (final TcpSocket socket : more)
        {
            socket.abort();
        }
    }

    @Test
    void shouldSpreadShortStreamsOverBothReplicas() throws Exception
    {
        final Edge edge = Tunnels.edge();
        closeables.add(edge);
        final Connector first = Tunnels.connector(edge);
        closeables.add(first);
        final Connector second = dev.warren.Warren.startConnector(Tunnels.connectorConfig(edge).build());
        closeables.add(second);
        Tunnels.await("both replicas connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 4, 10_000);
        final long before1 = ((ConnectorRuntime)first).streamsOpened();
        final long before2 = ((ConnectorRuntime)second).streamsOpened();

        // one stream at a time, each closed before the next: every connection's open count is 0 at each pick
        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        for (int i = 0; i < 200; i++)
        {
            final TcpSocket socket = network.connect(echo.address());
            socket.opened().get(10, TimeUnit.SECONDS);
            socket.abort();
            socket.closed().get(10, TimeUnit.SECONDS);
        }
        final long onFirst = ((ConnectorRuntime)first).streamsOpened() - before1;
        final long onSecond = ((ConnectorRuntime)second).streamsOpened() - before2;
        assertEquals(200, onFirst + onSecond);
        assertTrue(onFirst >= 80 && onFirst <= 120, "first replica opened " + onFirst + " of 200 short streams");
    }
}
