package dev.warren.loadgen;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.loadgen.report.JsonReport;
import dev.warren.loadgen.report.LoadReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --via edge.yaml --binding NAME}: the load goes through an edge that loadgen starts from the file, a real
 * connector (started here, as an operator would run one) and real loopback servers.
 */
class TunnelLoadTest
{
    private static final String TOKEN = "loadgen-test-token-0123456789";

    @TempDir
    static Path folder;

    private static LoopbackEchoServer echo;
    private static ServerSocket takenPort;
    private static Connector connector;
    private static Path edgeFile;

    @BeforeAll
    static void startPrivateSide() throws IOException
    {
        echo = LoopbackEchoServer.echoing();
        final int tunnelPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            tunnelPort = probe.getLocalPort(); // free now; the edge binds it when a run starts
        }
        // A listener's port held by someone else, as by an edge already running: loadgen must not start listeners.
        takenPort = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        edgeFile = Files.writeString(folder.resolve("edge.yaml"), String.join("\n",
            "edge:",
            "  tunnelListen: 127.0.0.1:" + tunnelPort,
            "  tunnels:",
            "    - id: office",
            "      token: " + TOKEN,
            "  services:",
            "    - name: echo-svc",
            "      tunnel: office",
            "      type: tcp",
            "      host: 127.0.0.1",
            "      tcpPort: " + echo.port(),
            "  networks:",
            "    - name: office-net",
            "      tunnel: office",
            "  listeners:",
            "    - listen: 127.0.0.1:" + takenPort.getLocalPort(),
            "      connect: echo-svc",
            ""));
        // The connector redials with back-off until each run's edge is up, as a real one would.
        connector = Warren.startConnector(ConnectorConfig.builder()
            .edge(new InetSocketAddress("127.0.0.1", tunnelPort))
            .tunnel("office", TOKEN)
            .haConnections(2)
            .allow("127.0.0.0/8")
            .eventLoops(1)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(100))
            .insecure(true)
            .build());
    }

    @AfterAll
    static void stopPrivateSide()
    {
        connector.close();
        echo.close();
        try
        {
            takenPort.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    @Test
    void shouldSendThroughAVpcNetworkBinding() throws IOException
    {
        final Path json = folder.resolve("network.json");
        final CommandRun run = CommandRun.of("tcp", "--via", edgeFile.toString(), "--binding", "office-net",
            "--rate", "500", "-c", "4", "-t", "1", "-d", "1s", "-w", "200ms", "--connector-wait", "10s", "--json",
            json.toString(), echo.address());
        System.out.println(run);
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(500, report.requests(), 5, run::toString);
        assertEquals(0, report.errorsTotal(), run::toString);
        assertTrue(report.target().contains("via network office-net"), report.target());
    }

    @Test
    void shouldSendThroughATcpServiceBindingInAClosedLoop()
    {
        final CommandRun run = CommandRun.of("tcp", "--via", edgeFile.toString(), "--binding", "echo-svc", "-c", "2",
            "-t", "1", "-d", "400ms", "-w", "100ms", "-s", "4k", "--connector-wait", "10s");
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        assertTrue(run.out().contains("via service echo-svc"), run::toString);
        assertTrue(run.out().contains("errors    none"), run::toString);
    }

    @Test
    void shouldSendBulkThroughTheTunnelAndCheckWhatComesBack() throws IOException
    {
        final Path json = folder.resolve("bulk.json");
        final CommandRun run = CommandRun.of("tcp", "--via", edgeFile.toString(), "--binding", "office-net",
            "--bulk", "-s", "32k", "-c", "2", "-t", "1", "-d", "500ms", "-w", "100ms", "--connector-wait", "10s",
            "--json", json.toString(), echo.address());
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(0, report.errorsTotal(), run::toString); // the echoed bulk matched, byte for byte
        assertTrue(report.bytesOut() >= 1024 * 1024, run::toString);
        assertTrue(report.bytesIn() > 0, run::toString);
    }

    @Test
    void shouldCountWhatTheTunnelRefusesByItsCode()
    {
        // 10.255.255.1 is outside the connector's allow-list: every stream fails with destination_not_allowed.
        final CommandRun run = CommandRun.of("tcp", "--via", edgeFile.toString(), "--binding", "office-net", "-c",
            "1", "-d", "300ms", "--connect-timeout", "2s", "--connector-wait", "10s", "10.255.255.1:9");
        assertEquals(LoadgenCommand.EXIT_FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("no connection could be opened: destination_not_allowed"), run::toString);
    }

    @Test
    void shouldSayWhenTheEdgeCannotListen() throws IOException
    {
        final String yaml = Files.readString(edgeFile).replaceFirst("tunnelListen: 127.0.0.1:[0-9]+",
            "tunnelListen: 127.0.0.1:" + takenPort.getLocalPort());
        final Path taken = Files.writeString(folder.resolve("taken.yaml"), yaml.replaceFirst(
            "listen: 127.0.0.1:[0-9]+", "listen: 127.0.0.1:1")); // keep the listener on another port than the tunnel
        final CommandRun run = CommandRun.of("tcp", "--via", taken.toString(), "--binding", "office-net", "a:1");
        assertEquals(LoadgenCommand.EXIT_FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("cannot start edge on"), run::toString);
    }

    @Test
    void shouldNameTheBindingsWhenOneIsUnknown()
    {
        final CommandRun run = CommandRun.of("tcp", "--via", edgeFile.toString(), "--binding", "nope", "a:1");
        assertEquals(LoadgenCommand.EXIT_USAGE, run.status(), run::toString);
        assertTrue(run.err().contains("no VPC Network or tcp service named 'nope' (known: office-net, echo-svc)"),
            run::toString);
    }
}
