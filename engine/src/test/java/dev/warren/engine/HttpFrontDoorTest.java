package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fetch:} listeners: a reverse proxy into a VPC Service and a forward proxy (absolute-form and CONNECT) into a
 * VPC Network, driven by raw sockets and the JDK's HttpClient, through a real edge and connector to real origins.
 */
class HttpFrontDoorTest
{
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final List<Integer> originPorts = new CopyOnWriteArrayList<>();
    private final AtomicInteger originRequests = new AtomicInteger();
    private HttpServer origin;
    private EchoServer echo;
    private Edge edge;
    private Connector connector;
    private int reversePort;
    private int forwardPort;

    @BeforeEach
    void setUp() throws IOException
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.createContext("/", exchange ->
        {
            originRequests.incrementAndGet();
            originPorts.add(exchange.getRemoteAddress().getPort());
            seen.put("host", String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
            seen.put("via", String.valueOf(exchange.getRequestHeaders().getFirst("Via")));
            seen.put("keep-alive", String.valueOf(exchange.getRequestHeaders().getFirst("Keep-Alive")));
            seen.put("x-secret", String.valueOf(exchange.getRequestHeaders().getFirst("X-Secret")));
            seen.put("x-other", String.valueOf(exchange.getRequestHeaders().getFirst("X-Other")));
            seen.put("x-third", String.valueOf(exchange.getRequestHeaders().getFirst("X-Third")));
            seen.put("x-kept", String.valueOf(exchange.getRequestHeaders().getFirst("X-Kept")));
            seen.put("target", exchange.getRequestURI().toString());
            final byte[] body = exchange.getRequestBody().readAllBytes();
            final byte[] answer = exchange.getRequestURI().getPath().startsWith("/sha") ?
                hex(sha256(body)).getBytes(StandardCharsets.US_ASCII) :
                exchange.getRequestURI().getPath().startsWith("/big") ? Payloads.random(7, 3 * 1024 * 1024) :
                (exchange.getRequestMethod() + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Origin", "yes");
            exchange.sendResponseHeaders(200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                if (!"HEAD".equals(exchange.getRequestMethod()))
                {
                    out.write(answer);
                }
            }
        });
        origin.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        origin.start();
        echo = new EchoServer();
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .service(ServiceConfig.http("users-api", Tunnels.TUNNEL, "127.0.0.1", origin.getAddress().getPort(), 0,
                CertVerification.VERIFY_FULL))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "users-api"))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), Tunnels.NETWORK))
            .eventLoops(2)
            .build());
        reversePort = edge.listenerAddresses().get(0).getPort();
        forwardPort = edge.listenerAddresses().get(1).getPort();
        connector = Tunnels.connector(edge, dev.warren.api.ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .haConnections(2)
            .eventLoops(2)
            .allow("127.0.0.1") // not 127.0.0.2: the allow-list is the connector's own fence
            .insecure(true)
            .build());
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
        origin.stop(0);
    }

    @Test
    void shouldReverseProxyKeepAliveAndPipelinedRequestsToTheServiceTarget() throws Exception
    {
        try (Socket client = new Socket("127.0.0.1", reversePort))
        {
            final OutputStream out = client.getOutputStream();
            final InputStream in = client.getInputStream();
            out.write(("GET /one?x=1 HTTP/1.1\r\nHost: users.internal\r\nKeep-Alive: timeout=5\r\n" +
                "Connection: keep-alive, X-Secret\r\nX-Secret: hop\r\nX-Other: hop\r\nX-Third: hop\r\n" +
                "X-Kept: end-to-end\r\nconnection: \t x-OTHER ,, X-THIRD\t\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final Response first = Response.read(in);
            assertEquals(200, first.status);
            assertEquals("GET /one?x=1", first.text());
            assertEquals("yes", first.headers.get("x-origin"));
            assertEquals("1.1 warren", first.headers.get("via"));
            assertEquals("users.internal", seen.get("host"), "the client's Host reaches the service");
            assertEquals("1.1 warren", seen.get("via"));
            assertEquals("null", seen.get("keep-alive"), "hop-by-hop fields are not forwarded");
            assertEquals("null", seen.get("x-secret"), "fields named by Connection are not forwarded");
            assertEquals("null", seen.get("x-other"), "a second Connection field, padded and in another case");
            assertEquals("null", seen.get("x-third"), "after an empty list element");
            assertEquals("end-to-end", seen.get("x-kept"));

            // two pipelined requests in one write, a POST with a body among them, on the same connection
            out.write(("POST /sha HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /two HTTP/1.1\r\n" +
                "Host: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final Response second = Response.read(in);
            assertEquals(hex(sha256("hello".getBytes(StandardCharsets.US_ASCII))), second.text());
            final Response third = Response.read(in);
            assertEquals("GET /two", third.text());

            // a chunked upload of 1 MiB, then a 3 MiB download
            final byte[] upload = Payloads.random(3, 1024 * 1024);
            final ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            chunked.write("POST /sha HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
            for (int at = 0; at < upload.length; at += 100_000)
            {
                final int n = Math.min(100_000, upload.length - at);
                chunked.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                chunked.write(upload, at, n);
                chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(chunked.toByteArray());
            assertEquals(hex(sha256(upload)), Response.read(in).text());
            out.write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals(Payloads.random(7, 3 * 1024 * 1024), Response.read(in).body);
        }
        assertEquals(5, originRequests.get());
    }

    @Test
    void shouldKeepAKeepAliveClientOnOneTunnelConnectionForABatchOfRequests() throws Exception
    {
        // two tunnel connections, one per connector loop, each with its own pooled origin connection: the origin's
        // view of the client port tells which tunnel connection carried a request
        Tunnels.await("both tunnel connections are up", () -> connector.liveConnections() == 2, 5_000);
        originPorts.clear();
        final int sticky = Integer.getInteger("warren.edge.stickyRequests", 64); // as the edge reads it
        try (Socket client = new Socket("127.0.0.1", reversePort))
        {
            final OutputStream out = client.getOutputStream();
            final InputStream in = client.getInputStream();
            for (int i = 0; i < 2 * sticky + 2; i++)
            {
                out.write("GET /n HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(200, Response.read(in).status);
            }
        }
        final List<Integer> first = originPorts.subList(0, sticky);
        assertEquals(1, new java.util.HashSet<>(first).size(), "the first batch stays on one connection: " + first);
        assertEquals(2, new java.util.HashSet<>(originPorts).size(), "later batches use the other connection too: " +
            originPorts);
    }

    /**
     * Stream objects are reused request after request (the edge's per client connection, the connector's per tunnel
     * connection): each must start with fresh windows and state, whatever the last one grew or left behind. Rounds
     * of a 3 MiB download (its receive window grows), a 300 KiB upload (more than the initial send window), a HEAD
     * and a small GET on one keep-alive connection, with clients that leave in the middle of a response between
     * the rounds (their streams are reset, stalled, and must not come back), then no stream is left open.
     */
    @Test
    void shouldStartEveryReusedStreamAfreshWhateverTheLastOneDid() throws Exception
    {
        final byte[] big = Payloads.random(7, 3 * 1024 * 1024);
        final byte[] upload = Payloads.random(11, 300 * 1024);
        final String uploadHash = hex(sha256(upload));
        try (Socket client = new Socket("127.0.0.1", reversePort))
        {
            client.setSoTimeout(10_000);
            final OutputStream out = client.getOutputStream();
            final InputStream in = client.getInputStream();
            for (int round = 0; round < 12; round++)
            {
                out.write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals(big, Response.read(in).body, "round " + round);
                out.write(("POST /sha HTTP/1.1\r\nHost: a\r\nContent-Length: " + upload.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
                out.write(upload);
                assertEquals(uploadHash, Response.read(in).text(), "round " + round);
                out.write("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                final Response head = Response.readHeadOnly(in);
                assertEquals(200, head.status);
                out.write(("GET /r" + round + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals("GET /r" + round, Response.read(in).text());
                try (Socket leaver = new Socket("127.0.0.1", reversePort))
                {
                    leaver.getOutputStream().write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                    assertEquals(200, Response.readHeadOnly(leaver.getInputStream()).status);
                    leaver.setSoLinger(true, 0); // leave with a reset, 3 MiB unread
                }
            }
        }
        final ConnectorRuntime runtime = (ConnectorRuntime)connector;
        Tunnels.await("no stream left open", () -> runtime.openStreams() == 0, 5_000);
    }

    @Test
    void shouldKeepAServiceTargetFixedWhateverTheRequestNames() throws Exception
    {
        try (Socket client = new Socket("127.0.0.1", reversePort))
        {
            client.getOutputStream().write(("GET http://evil.example:6666/x HTTP/1.1\r\nHost: evil.example:6666" +
                "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final Response response = Response.read(client.getInputStream());
            assertEquals(200, response.status, "served by the service's own target");
            assertEquals("GET /x", response.text());
            assertEquals("evil.example:6666", seen.get("host"));
        }
        try (Socket client = new Socket("127.0.0.1", reversePort))
        {
            client.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final Response response = Response.read(client.getInputStream());
            assertEquals(405, response.status);
            assertEquals("request_invalid", response.headers.get("x-warren-error"));
        }
    }

    @Test
    void shouldForwardProxyAbsoluteFormRequestsAndConnect() throws Exception
    {
        final String url = "http://127.0.0.1:" + origin.getAddress().getPort() + "/via-proxy?q=1";
        final HttpClient jdk = HttpClient.newBuilder()
            .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", forwardPort)))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
        for (int i = 0; i < 3; i++)
        {
            final HttpResponse<String> response = jdk.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("GET /via-proxy?q=1", response.body());
        }
        assertEquals("127.0.0.1:" + origin.getAddress().getPort(), seen.get("host"),
            "Host is the absolute URL's authority");
        assertEquals("/via-proxy?q=1", seen.get("target"), "the origin sees origin-form");

        try (Socket client = new Socket("127.0.0.1", forwardPort))
        {
            final OutputStream out = client.getOutputStream();
            final InputStream in = client.getInputStream();
            out.write(("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + echo.port() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final Response established = Response.readHeadOnly(in);
            assertEquals(200, established.status);
            final byte[] payload = Payloads.random(11, 200_000);
            out.write(payload);
            assertArrayEquals(payload, in.readNBytes(payload.length), "CONNECT relays bytes both ways");
        }
    }

    @Test
    void shouldMapErrorsToStatusesWithTheSpecCode() throws Exception
    {
        final int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            dead = probe.getLocalPort();
        }
        assertError(forwardPort, "GET http://127.0.0.1:" + dead + "/ HTTP/1.1\r\nHost: x\r\n\r\n", 502,
            "connection_refused");
        assertError(forwardPort, "GET http://127.0.0.2:" + origin.getAddress().getPort() + "/ HTTP/1.1\r\nHost: x" +
            "\r\n\r\n", 502, "destination_not_allowed");
        assertError(forwardPort, "CONNECT 127.0.0.1:" + dead + " HTTP/1.1\r\nHost: x\r\n\r\n", 502,
            "connection_refused");
        assertError(forwardPort, "GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request_invalid");
        assertError(reversePort, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked" +
            "\r\n\r\n0\r\n\r\n", 400, "request_invalid");
        assertError(reversePort, "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "request_invalid");
        assertEquals(0, originRequests.get(), "nothing malformed or refused reached the origin");

        connector.close();
        connector = null;
        Tunnels.await("the connector is gone", () -> edge.liveConnections(Tunnels.TUNNEL) == 0, 5_000);
        assertError(reversePort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 503, "destination_unavailable");
    }

    @Test
    void shouldAnswer504WhenTheHostNeverAnswers() throws Exception
    {
        connector.close();
        connector = Tunnels.connector(edge, dev.warren.api.ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .haConnections(2)
            .eventLoops(2)
            .connectTimeout(Duration.ofMillis(500))
            .allow("127.0.0.1")
            .insecure(true)
            .build());
        try (dev.warren.engine.support.Blackhole blackhole = new dev.warren.engine.support.Blackhole())
        {
            assertError(forwardPort, "GET http://127.0.0.1:" + blackhole.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n", 504,
                "connection_timeout");
            assertError(forwardPort, "CONNECT 127.0.0.1:" + blackhole.port() + " HTTP/1.1\r\nHost: x\r\n\r\n", 504,
                "connection_timeout");
        }
    }

    private static void assertError(final int port, final String request, final int status, final String code)
        throws IOException
    {
        try (Socket client = new Socket("127.0.0.1", port))
        {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            final Response response = Response.read(client.getInputStream());
            assertEquals(status, response.status, request + " -> " + response.text());
            assertEquals(code, response.headers.get("x-warren-error"), response.text());
            assertTrue(response.text().startsWith(code + ": "), response.text());
            assertEquals("close", response.headers.get("connection"));
            assertEquals(-1, client.getInputStream().read(), "the connection closes after an error answer");
        }
    }

    private static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder();
        for (final byte b : bytes)
        {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    /** A response read from a blocking socket: head, then a Content-Length or chunked body. */
    private record Response(int status, Map<String, String> headers, byte[] body)
    {
        String text()
        {
            return new String(body, StandardCharsets.UTF_8);
        }

        static Response readHeadOnly(final InputStream in) throws IOException
        {
            final String head = readLine(in);
            final Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while (!(line = readLine(in)).isEmpty())
            {
                final int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return new Response(Integer.parseInt(head.split(" ")[1]), headers, new byte[0]);
        }

        static Response read(final InputStream in) throws IOException
        {
            final Response head = readHeadOnly(in);
            final String length = head.headers.get("content-length");
            if (length != null)
            {
                return new Response(head.status, head.headers, in.readNBytes(Integer.parseInt(length)));
            }
            if ("chunked".equals(head.headers.get("transfer-encoding")))
            {
                final ByteArrayOutputStream body = new ByteArrayOutputStream();
                int size;
                while ((size = Integer.parseInt(readLine(in), 16)) > 0)
                {
                    body.write(in.readNBytes(size));
                    readLine(in);
                }
                readLine(in);
                return new Response(head.status, head.headers, body.toByteArray());
            }
            return new Response(head.status, head.headers, in.readAllBytes());
        }

        private static String readLine(final InputStream in) throws IOException
        {
            final StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n')
            {
                if (b < 0)
                {
                    throw new IOException("connection closed mid-line: '" + line + "'");
                }
                if (b != '\r')
                {
                    line.append((char)b);
                }
            }
            return line.toString();
        }
    }
}
