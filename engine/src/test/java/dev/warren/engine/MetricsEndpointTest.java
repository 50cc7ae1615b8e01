package dev.warren.engine;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code metricsListen}: /metrics counts exactly what a real edge and connector did; /healthz and /readyz. */
class MetricsEndpointTest
{
    private static final int ECHOES = 5;
    private static final int PAYLOAD = 100_000;
    /** A sample line: name, optional {labels}, value (text format 0.0.4). */
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? " +
        "([-+]?(?:[0-9.eE+-]+|Inf|NaN))");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final EchoServer echo = new EchoServer();
    private final Edge edge = Warren.startEdge(EdgeConfig.builder()
        .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
        .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
        .network(Tunnels.NETWORK, Tunnels.TUNNEL)
        .eventLoops(2)
        .metricsListen(new InetSocketAddress("127.0.0.1", 0))
        .build());
    private Connector connector;

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
    void shouldCountWhatTheTestDidAndReportHealthAndReadiness() throws Exception
    {
        assertNotNull(edge.metricsAddress());
        assertEquals(503, get(edge.metricsAddress(), "/readyz").statusCode(), "no connector yet");
        connector = Tunnels.connector(edge, Tunnels.connectorConfig(edge)
            .allow("127.0.0.0/8")
            .metricsListen(new InetSocketAddress("127.0.0.1", 0))
            .build());
        assertNotNull(connector.metricsAddress());

        for (int i = 0; i < ECHOES; i++)
        {
            echoOnce();
        }
        final int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1")))
        {
            closedPort = free.getLocalPort();
        }
        assertEquals(ErrorCode.CONNECTION_REFUSED, failure(edge.network(Tunnels.NETWORK).connect("127.0.0.1:" + closedPort)));
        assertEquals(ErrorCode.DESTINATION_NOT_ALLOWED, failure(edge.network(Tunnels.NETWORK).connect("10.1.2.3:80")));

        final Map<String, Double> edgeMetrics = scrape(edge.metricsAddress());
        final String binding = "{tunnel=\"office\",binding=\"office-net\"";
        assertEquals(ECHOES + 2, edgeMetrics.get("warren_edge_streams_opened_total" + binding + "}"));
        assertEquals(1, edgeMetrics.get("warren_edge_streams_failed_total" + binding + ",code=\"connection_refused\"}"));
        assertEquals(1,
            edgeMetrics.get("warren_edge_streams_failed_total" + binding + ",code=\"destination_not_allowed\"}"));
        assertEquals(2, edgeMetrics.entrySet().stream()
            .filter(e -> e.getKey().startsWith("warren_edge_streams_failed_total")).mapToDouble(Map.Entry::getValue).sum());
        assertEquals(2, edgeMetrics.get("warren_edge_live_connections{tunnel=\"office\"}"));
        assertTrue(edgeMetrics.get("warren_edge_tunnel_bytes_sent_total{tunnel=\"office\"}") >= ECHOES * PAYLOAD);
        assertTrue(edgeMetrics.get("warren_edge_tunnel_bytes_received_total{tunnel=\"office\"}") >= ECHOES * PAYLOAD);
        assertNotNull(edgeMetrics.get("warren_edge_window_stalls_total{tunnel=\"office\"}"));
        assertEquals(ECHOES, edgeMetrics.get("warren_edge_connect_seconds_count{binding=\"office-net\"}"),
            "only opened streams have a connect time");
        assertEquals(ECHOES, edgeMetrics.get("warren_edge_connect_seconds_bucket{binding=\"office-net\",le=\"+Inf\"}"));
        assertTrue(edgeMetrics.get("warren_edge_connect_seconds_bucket{binding=\"office-net\",le=\"30\"}") <= ECHOES);
        assertTrue(edgeMetrics.get("process_open_fds") > 0);
        assertTrue(edgeMetrics.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);
        assertTrue(edgeMetrics.get("process_start_time_seconds") > 1.5e9);

        final Map<String, Double> connectorMetrics = scrape(connector.metricsAddress());
        assertEquals(ECHOES + 2, connectorMetrics.get("warren_connector_streams_opened_total{tunnel=\"office\"}"));
        assertEquals(1, connectorMetrics.get(
            "warren_connector_streams_failed_total{tunnel=\"office\",code=\"connection_refused\"}"));
        assertEquals(1, connectorMetrics.get("warren_connector_dials_refused_total{tunnel=\"office\"}"));
        assertEquals(2, connectorMetrics.get("warren_connector_live_connections{tunnel=\"office\"}"));
        assertTrue(connectorMetrics.get("warren_connector_tunnel_bytes_sent_total{tunnel=\"office\"}") >=
            ECHOES * PAYLOAD);

        assertEquals(200, get(edge.metricsAddress(), "/healthz").statusCode());
        assertEquals("ok\n", get(edge.metricsAddress(), "/healthz").body());
        assertEquals(200, get(edge.metricsAddress(), "/readyz").statusCode());
        assertEquals(200, get(connector.metricsAddress(), "/readyz").statusCode());

        final long bytesBefore = edgeMetrics.get("warren_edge_tunnel_bytes_sent_total{tunnel=\"office\"}").longValue();
        connector.close();
        connector = null;
        Tunnels.await("connector gone at the edge", () -> edge.liveConnections(Tunnels.TUNNEL) == 0, 5_000);
        final HttpResponse<String> notReady = get(edge.metricsAddress(), "/readyz");
        assertEquals(503, notReady.statusCode());
        assertTrue(notReady.body().contains("office"), notReady.body());
        final Map<String, Double> after = scrape(edge.metricsAddress());
        assertEquals(0, after.get("warren_edge_live_connections{tunnel=\"office\"}"));
        // Kept, and counted once: the close adds only its own control frames (the GO_AWAY answers), never the
        // connection's bytes a second time.
        final long bytesAfter = after.get("warren_edge_tunnel_bytes_sent_total{tunnel=\"office\"}").longValue();
        assertTrue(bytesAfter >= bytesBefore && bytesAfter - bytesBefore < 4096,
            "closed connections' bytes are kept, once: " + bytesBefore + " before, " + bytesAfter + " after");
    }

    @Test
    void shouldBeOffWithoutMetricsListen()
    {
        try (Edge plain = Tunnels.edge())
        {
            assertNull(plain.metricsAddress());
        }
    }

    private void echoOnce() throws Exception
    {
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        final SocketReader reader = new SocketReader(false, 64);
        socket.readable().subscribe(reader);
        socket.write(ByteBuffer.wrap(new byte[PAYLOAD])).get(5, TimeUnit.SECONDS);
        socket.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(5, TimeUnit.SECONDS);
        assertEquals(PAYLOAD, reader.bytes());
        socket.closed().get(5, TimeUnit.SECONDS);
    }

    private static ErrorCode failure(final TcpSocket socket)
    {
        final ExecutionException ex =
            assertThrows(ExecutionException.class, () -> socket.opened().get(5, TimeUnit.SECONDS));
        return assertInstanceOf(WarrenException.class, ex.getCause()).code();
    }

    private HttpResponse<String> get(final InetSocketAddress address, final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes /metrics, checks every line parses, and returns series (name + labels as written) to value. */
    private Map<String, Double> scrape(final InetSocketAddress address) throws Exception
    {
        final HttpResponse<String> response = get(address, "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
            response.headers().firstValue("Content-Type").orElse(""));
        final Map<String, Double> series = new HashMap<>();
        final Map<String, String> types = new HashMap<>();
        for (final String line : response.body().split("\n", -1))
        {
            if (line.isEmpty() || line.startsWith("# HELP "))
            {
                continue;
            }
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ");
                assertEquals(4, parts.length, line);
                assertTrue(parts[3].matches("counter|gauge|histogram|summary|untyped"), line);
                assertNull(types.put(parts[2], parts[3]), "one TYPE per family: " + line);
                continue;
            }
            assertTrue(!line.startsWith("#"), "unknown comment: " + line);
            final Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "not a sample line: '" + line + "'");
            if (sample.group(3) != null)
            {
                final Matcher label = LABEL.matcher(sample.group(3));
                while (label.find())
                {
                    assertTrue(!label.group(1).isEmpty(), line);
                }
            }
            final String name = sample.group(1);
            final String family = name.replaceAll("_(bucket|sum|count)$", "");
            assertTrue(types.containsKey(name) || types.containsKey(family), "sample before its TYPE: " + line);
            if (name.endsWith("_total"))
            {
                assertEquals("counter", types.get(name), line);
            }
            final String key = line.substring(0, line.lastIndexOf(' '));
            assertNull(series.put(key, parseValue(sample.group(4))), "duplicate series: " + line);
        }
        return series;
    }

    private static double parseValue(final String text)
    {
        return switch (text)
        {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
