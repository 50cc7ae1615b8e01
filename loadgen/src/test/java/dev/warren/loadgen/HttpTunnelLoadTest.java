package dev.warren.loadgen;

import com.sun.net.httpserver.HttpServer;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code loadgen http --via edge.yaml --binding NAME}: each request a {@code fetch()} through an edge that loadgen
 * starts from the file, a real connector and the JDK's HTTP server on loopback.
 */
class HttpTunnelLoadTest
{
    private static final String TOKEN = "loadgen-http-test-token-0123456789";

    static
    {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @TempDir
    static Path folder;

    private static HttpServer server;
    private static ExecutorService executor;
    private static Connector connector;
    private static Path edgeFile;

    @BeforeAll
    static void startPrivateSide() throws IOException
    {
        executor = Executors.newFixedThreadPool(4);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", exchange -> HttpLoadTest.answer(exchange, 200,
            "through the tunnel".getBytes(StandardCharsets.US_ASCII), false));
        server.createContext("/missing", exchange -> HttpLoadTest.answer(exchange, 404, new byte[0], false));
        server.start();
        final int tunnelPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            tunnelPort = probe.getLocalPort(); // free now; the edge binds it when a run starts
        }
        edgeFile = Files.writeString(folder.resolve("edge.yaml"), String.join("\n",
            "edge:",
            "  tunnelListen: 127.0.0.1:" + tunnelPort,
            "  tunnels:",
            "    - id: office",
            "      token: " + TOKEN,
            "  services:",
            "    - name: web",
            "      tunnel: office",
            "      type: http",
            "      host: 127.0.0.1",
            "      httpPort: " + server.getAddress().getPort(),
            "  networks:",
            "    - name: office-net",
            "      tunnel: office",
            ""));
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
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void shouldFetchThroughAVpcNetworkBinding() throws IOException
    {
        final Path json = folder.resolve("network.json");
        final CommandRun run = CommandRun.of("http", "--via", edgeFile.toString(), "--binding", "office-net",
            "-c", "4", "-t", "1", "-d", "1s", "-w", "200ms", "--connector-wait", "10s", "--json", json.toString(),
            "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        System.out.println(run);
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(0, report.errorsTotal(), run::toString);
        assertTrue(report.requests() > 10, run::toString);
        assertEquals(Map.of("2xx", report.requests()), report.statuses(), run::toString);
        assertTrue(report.bytesIn() >= report.requests() * "through the tunnel".length(), run::toString);
        assertTrue(report.target().contains("via network office-net"), report.target());
    }

    @Test
    void shouldFetchThroughAnHttpServiceAtARate() throws IOException
    {
        final Path json = folder.resolve("service.json");
        final CommandRun run = CommandRun.of("http", "--via", edgeFile.toString(), "--binding", "web", "-R", "200",
            "-c", "4", "-t", "1", "-d", "1s", "-w", "200ms", "--connector-wait", "10s", "--json", json.toString(),
            "http://web/missing");
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(0, report.errorsTotal(), run::toString);
        assertEquals(200, report.requests(), 2, run::toString);
        assertEquals(Map.of("4xx", report.requests()), report.statuses(), run::toString);
    }

    @Test
    void shouldNameTheBindingsWhenOneIsUnknown()
    {
        final CommandRun run = CommandRun.of("http", "--via", edgeFile.toString(), "--binding", "nope", "http://a/");
        assertEquals(LoadgenCommand.EXIT_USAGE, run.status(), run::toString);
        assertTrue(run.err().contains("no VPC Network or http service named 'nope' (known: office-net, web)"),
            run::toString);
    }
}
