package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.fetch.FetchRoute;
import dev.warren.engine.net.HostPort;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.ScriptedServer;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fetch() over http streams: the connector relays each request over a keep-alive connection from its pool, and
 * gives a connection back only after a complete, reusable exchange. Real edge, connector and loopback origins (the
 * JDK's HttpServer, and scripted raw servers for the shapes it cannot produce).
 */
class OriginPoolTest
{
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Edge edge = Tunnels.edge();
    private ConnectorRuntime connector;
    private VpcNetwork network;

    @AfterEach
    void tearDown() throws Exception
    {
        if (connector != null)
        {
            connector.close();
        }
        edge.close();
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    /** One tunnel connection on one loop, so every stream shares one pool. */
    private void start(final Duration keepAliveTimeout)
    {
        final Connector started = Tunnels.connector(edge, Tunnels.connectorConfig(edge)
            .haConnections(1)
            .eventLoops(1)
            .keepAlive(100, keepAliveTimeout)
            .build());
        connector = (ConnectorRuntime)started;
        network = edge.network(Tunnels.NETWORK);
    }

    private String get(final String url) throws Exception
    {
        final FetchResponse response = network.fetch(url).get(10, TimeUnit.SECONDS);
        return response.status() + " " + response.text().get(10, TimeUnit.SECONDS);
    }

    private HttpServer httpServer()
    {
        try
        {
            final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            resources.add(() -> server.stop(0));
            return server;
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private ScriptedServer scripted(final ScriptedServer.Script script)
    {
        final ScriptedServer server = new ScriptedServer(script);
        resources.add(server);
        return server;
    }

    private static String base(final HttpServer server)
    {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Reads one request head (through the blank line) from a scripted connection; null at end of stream. */
    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0)
        {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : 0;
        }
        return matched == 4 ? head.toString(StandardCharsets.ISO_8859_1) : null;
    }

    private static void write(final Socket socket, final String bytes) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void shouldCarrySequentialFetchesOverOneOriginConnection() throws Exception
    {
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        final HttpServer origin = httpServer();
        origin.createContext("/n", exchange ->
        {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            final byte[] body = exchange.getRequestURI().getQuery().getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        origin.start();
        start(Duration.ofSeconds(90));

        for (int i = 0; i < 50; i++)
        {
            assertEquals("200 " + i, get(base(origin) + "/n?" + i));
        }
        assertEquals(1, clientPorts.size(), "the origin saw one connection: " + clientPorts);
        assertEquals(49, connector.originReuses()[0], "exchanges that reused the pooled connection");
        assertEquals(1, connector.originReuses()[1], "connections dialed");
        Tunnels.await("the connection idles in the pool", () -> connector.originConnections()[1] == 1, 5_000);
    }

    @Test
    void shouldKeepEveryBodyIntactUnderConcurrentFetches() throws Exception
    {
        final HttpServer origin = httpServer();
        origin.createContext("/blob", exchange ->
        {
            final long seed = Long.parseLong(exchange.getRequestURI().getQuery());
            final byte[] body = exchange.getRequestBody().readAllBytes();
            final byte[] blob = Payloads.random(seed, 3000 + (int)(seed % 5000));
            exchange.getResponseHeaders().add("X-Request-Bytes", String.valueOf(body.length));
            exchange.sendResponseHeaders(200, seed % 2 == 0 ? blob.length : 0); // odd seeds go chunked
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(blob);
            }
        });
        origin.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        origin.start();
        start(Duration.ofSeconds(90));

        final List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            final long seed = i;
            final byte[] upload = Payloads.random(1000 + seed, (int)(seed * 37 % 9000));
            all.add(network.fetch(FetchRequest.builder(base(origin) + "/blob?" + seed).method("POST").body(upload)
                    .build())
                .thenCompose(response ->
                {
                    assertEquals(String.valueOf(upload.length), response.headers().first("x-request-bytes"));
                    return response.bytes();
                })
                .thenAccept(body -> assertTrue(java.util.Arrays.equals(Payloads.random(seed, 3000 + (int)(seed % 5000)),
                    body), "body of request " + seed)));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        final long[] reuses = connector.originReuses();
        assertEquals(400, reuses[0] + reuses[1], "every exchange took or dialed exactly one connection");
        assertTrue(reuses[0] > 0, "some exchanges reused a connection");
        Tunnels.await("every connection idle again", () ->
            connector.originConnections()[0] == connector.originConnections()[1], 5_000);
    }

    @Test
    void shouldCloseTheOriginConnectionWhenTheCallerCancelsMidBody() throws Exception
    {
        final CompletableFuture<String> serverSaw = new CompletableFuture<>();
        final HttpServer origin = httpServer();
        origin.createContext("/endless", exchange ->
        {
            exchange.sendResponseHeaders(200, 1L << 40);
            try (OutputStream out = exchange.getResponseBody())
            {
                final byte[] block = new byte[64 * 1024];
                while (true)
                {
                    out.write(block);
                }
            }
            catch (final IOException ex)
            {
                serverSaw.complete("write failed: " + ex.getMessage());
            }
        });
        origin.start();
        start(Duration.ofSeconds(90));

        final FetchResponse response = network.fetch(base(origin) + "/endless").get(10, TimeUnit.SECONDS);
        final CompletableFuture<Long> cancelledAfter = new CompletableFuture<>();
        response.body().subscribe(new Flow.Subscriber<>()
        {
            private Flow.Subscription subscription;
            private long received;

            @Override
            public void onSubscribe(final Flow.Subscription subscription)
            {
                this.subscription = subscription;
                subscription.request(1);
            }

            @Override
            public void onNext(final ByteBuffer item)
            {
                received += item.remaining();
                if (received > 1024 * 1024)
                {
                    subscription.cancel();
                    cancelledAfter.complete(received);
                    return;
                }
                subscription.request(1);
            }

            @Override
            public void onError(final Throwable throwable)
            {
                cancelledAfter.completeExceptionally(throwable);
            }

            @Override
            public void onComplete()
            {
                cancelledAfter.completeExceptionally(new AssertionError("an endless body completed"));
            }
        });
        try
        {
            assertTrue(cancelledAfter.get(10, TimeUnit.SECONDS) > 1024 * 1024);
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            System.err.println("DEBUG connector:\n" + connector.describeStreams() + "DEBUG edge:\n" +
                ((dev.warren.engine.edge.EdgeRuntime)edge).describeStreams() + "DEBUG response " + response);
            throw ex;
        }
        assertTrue(serverSaw.get(10, TimeUnit.SECONDS).startsWith("write failed"), "the origin connection was closed");
        Tunnels.await("no origin connection left, none pooled", () -> connector.originConnections()[0] == 0, 5_000);

        // the next fetch dials afresh and works
        origin.createContext("/hello", exchange ->
        {
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write("hi".getBytes(StandardCharsets.US_ASCII));
            }
        });
        assertEquals("200 hi", get(base(origin) + "/hello"));
        assertEquals(2, connector.originReuses()[1]);
    }

    @Test
    void shouldDropAPooledConnectionThatTheHostClosed() throws Exception
    {
        final AtomicInteger connections = new AtomicInteger();
        final ScriptedServer origin = scripted(socket ->
        {
            final int n = connections.incrementAndGet();
            readHead(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn" + n);
            return null; // closes: a host whose keep-alive timeout is shorter than the pool's
        });
        start(Duration.ofSeconds(90));
        final String url = "http://127.0.0.1:" + origin.port() + "/";

        assertEquals("200 conn1", get(url));
        Tunnels.await("the pool noticed the host closed its idle connection",
            () -> connector.originConnections()[0] == 0, 5_000);
        assertEquals("200 conn2", get(url));
        assertEquals(0, connector.originReuses()[0]);
    }

    @Test
    void shouldCloseIdleConnectionsAfterTheKeepAliveTimeout() throws Exception
    {
        final HttpServer origin = httpServer();
        origin.createContext("/", exchange ->
        {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        origin.start();
        start(Duration.ofMillis(300));

        assertEquals("204 ", get(base(origin) + "/"));
        assertEquals(1, connector.originConnections()[0]);
        Tunnels.await("the idle connection timed out", () -> connector.originConnections()[0] == 0, 5_000);
    }

    @Test
    void shouldReuseAfterInterimResponsesHeadAndChunkedTrailers() throws Exception
    {
        final CompletableFuture<List<String>> heads = new CompletableFuture<>();
        final ScriptedServer origin = scripted(socket ->
        {
            final InputStream in = socket.getInputStream();
            final List<String> seen = new ArrayList<>();
            seen.add(readHead(in));
            write(socket, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n");
            seen.add(readHead(in));
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"); // HEAD: no body, whatever it says
            seen.add(readHead(in));
            write(socket, "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n");
            seen.add(readHead(in));
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast");
            heads.complete(seen);
            return readHead(in); // until the pool closes it
        });
        start(Duration.ofSeconds(90));
        final String url = "http://127.0.0.1:" + origin.port() + "/";

        assertEquals("200 hello", get(url));
        final FetchResponse head = network.fetch(FetchRequest.builder(url).method("HEAD").build())
            .get(10, TimeUnit.SECONDS);
        assertEquals(200, head.status());
        assertEquals("", head.text().get(10, TimeUnit.SECONDS));
        assertEquals("304 ", get(url));
        assertEquals("200 last", get(url));
        assertEquals(4, heads.get(10, TimeUnit.SECONDS).size());
        assertEquals(3, connector.originReuses()[0], "one connection carried all four exchanges");
    }

    @Test
    void shouldNotReuseAConnectionAfterABodyReadUntilClose() throws Exception
    {
        final ScriptedServer origin = scripted(socket ->
        {
            readHead(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close");
            return null;
        });
        start(Duration.ofSeconds(90));
        final String url = "http://127.0.0.1:" + origin.port() + "/";

        assertEquals("200 until close", get(url));
        assertEquals("200 until close", get(url));
        assertEquals(0, connector.originReuses()[0]);
        Tunnels.await("nothing pooled", () -> connector.originConnections()[0] == 0, 5_000);
    }

    @Test
    void shouldNotReuseAConnectionThatSentMoreThanTheResponse() throws Exception
    {
        final ScriptedServer origin = scripted(socket ->
        {
            final InputStream in = socket.getInputStream();
            readHead(in);
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
            return readHead(in);
        });
        start(Duration.ofSeconds(90));
        final String url = "http://127.0.0.1:" + origin.port() + "/";

        assertEquals("200 ok", get(url));
        Tunnels.await("the desynchronised connection is closed", () -> connector.originConnections()[0] == 0, 5_000);
        assertEquals(0, connector.originReuses()[0]);
    }

    @Test
    void shouldRefuseAMalformedResponseAsAProtocolError() throws Exception
    {
        final ScriptedServer origin = scripted(socket ->
        {
            readHead(socket.getInputStream());
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            return null;
        });
        start(Duration.ofSeconds(90));

        final ExecutionException failure = assertThrows(ExecutionException.class, () ->
            network.fetch("http://127.0.0.1:" + origin.port() + "/").get(10, TimeUnit.SECONDS)
                .text().get(10, TimeUnit.SECONDS));
        final WarrenException cause = assertInstanceOf(WarrenException.class, failure.getCause());
        assertEquals(ErrorCode.PROTOCOL_ERROR, cause.code(), cause.getMessage());
        Tunnels.await("the connection is closed", () -> connector.originConnections()[0] == 0, 5_000);
    }

    @Test
    void shouldFailWhenTheHostClosesWithoutResponding() throws Exception
    {
        final ScriptedServer origin = scripted(socket ->
        {
            readHead(socket.getInputStream());
            return null;
        });
        start(Duration.ofSeconds(90));

        final ExecutionException failure = assertThrows(ExecutionException.class, () ->
            network.fetch("http://127.0.0.1:" + origin.port() + "/").get(10, TimeUnit.SECONDS));
        final WarrenException cause = assertInstanceOf(WarrenException.class, failure.getCause());
        assertEquals(ErrorCode.CONNECTION_TERMINATED, cause.code(), cause.getMessage());
        assertTrue(cause.getMessage().contains("without responding"), cause.getMessage());
    }

    @Test
    void shouldRefuseASecondRequestOnOneHttpStream() throws Exception
    {
        final AtomicInteger requests = new AtomicInteger();
        final ScriptedServer origin = scripted(socket ->
        {
            final InputStream in = socket.getInputStream();
            while (readHead(in) != null)
            {
                requests.incrementAndGet();
                write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            return null;
        });
        start(Duration.ofSeconds(90));

        final TcpSocket stream = ((FetchRoute)network).openHttp(new HostPort("127.0.0.1", origin.port()));
        final SocketReader reader = SocketReader.keeping();
        stream.readable().subscribe(reader);
        stream.write(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII)));
        final ExecutionException failure = assertThrows(ExecutionException.class,
            () -> reader.done().get(10, TimeUnit.SECONDS));
        final WarrenException cause = assertInstanceOf(WarrenException.class, failure.getCause());
        assertEquals(ErrorCode.REQUEST_INVALID, cause.code(), cause.getMessage());
        assertTrue(requests.get() <= 1, "the smuggled request never reached the host");
        Tunnels.await("the connection is closed", () -> connector.originConnections()[0] == 0, 5_000);
    }

    @Test
    void shouldSendAnIdempotentRequestAgainWhenAPooledConnectionDiesBeforeResponding() throws Exception
    {
        final AtomicInteger connections = new AtomicInteger();
        final ScriptedServer origin = scripted(socket ->
        {
            final int n = connections.incrementAndGet();
            final InputStream in = socket.getInputStream();
            readHead(in);
            write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn" + n);
            readHead(in);
            return null; // takes the next request and closes without a word: the keep-alive race
        });
        start(Duration.ofSeconds(90));
        final String url = "http://127.0.0.1:" + origin.port() + "/";

        assertEquals("200 conn1", get(url));
        assertEquals("200 conn2", get(url), "the GET went again on a fresh connection");
        assertEquals(1, connector.originReuses()[0]);

        // a POST is not sent twice: the host may have acted on it
        final ExecutionException post = assertThrows(ExecutionException.class, () -> network.fetch(
            FetchRequest.builder(url).method("POST").body("x").build()).get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.CONNECTION_TERMINATED,
            assertInstanceOf(WarrenException.class, post.getCause()).code());
    }
}
