package dev.warren.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.HttpHeaders;
import dev.warren.api.RedirectMode;
import dev.warren.api.ServiceConfig;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fetch() through a real edge and connector to the JDK's HttpServer on loopback. */
class FetchTest
{
    private static final long BIG = 100L * 1024 * 1024;

    private final Map<String, String> seenHost = new ConcurrentHashMap<>();
    private final Map<String, String> seenAuthorization = new ConcurrentHashMap<>();
    private final java.util.concurrent.CompletableFuture<String> dripBroken = new java.util.concurrent.CompletableFuture<>();
    private HttpServer origin;
    private Edge edge;
    private Connector connector;
    private String base;

    @BeforeEach
    void setUp() throws IOException
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.createContext("/hello", exchange -> respond(exchange, 200, "hello from the origin"));
        origin.createContext("/echo", exchange ->
        {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("X-Method", exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        origin.createContext("/host", exchange ->
        {
            seenHost.put("host", exchange.getRequestHeaders().getFirst("Host"));
            respond(exchange, 200, "ok");
        });
        origin.createContext("/status/", exchange ->
        {
            final int status = Integer.parseInt(exchange.getRequestURI().getPath().substring(8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        origin.createContext("/chunked", exchange ->
        {
            exchange.sendResponseHeaders(200, 0); // length 0: the JDK server sends it chunked
            try (OutputStream out = exchange.getResponseBody())
            {
                for (int i = 0; i < 100; i++)
                {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        });
        origin.createContext("/big", exchange ->
        {
            exchange.sendResponseHeaders(200, BIG);
            try (OutputStream out = exchange.getResponseBody())
            {
                for (long sent = 0; sent < BIG; sent += 1024 * 1024)
                {
                    out.write(Payloads.random(sent, 1024 * 1024));
                }
            }
        });
        origin.createContext("/redirect/", exchange ->
        {
            final String rest = exchange.getRequestURI().getPath().substring(10);
            final int status = Integer.parseInt(rest.substring(0, 3));
            final String to = exchange.getRequestURI().getQuery().substring(3);
            exchange.getResponseHeaders().add("Location", to);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        origin.createContext("/auth", exchange ->
        {
            final String value = exchange.getRequestHeaders().getFirst("Authorization");
            seenAuthorization.put(exchange.getRequestHeaders().getFirst("Host"), value == null ? "<none>" : value);
            respond(exchange, 200, exchange.getRequestMethod());
        });
        origin.createContext("/slow", exchange ->
        {
            try
            {
                Thread.sleep(3_000); // a slow private host: the head comes late
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "late");
        });
        origin.createContext("/drip", exchange ->
        {
            exchange.sendResponseHeaders(200, 64L * 1024 * 1024);
            try (OutputStream out = exchange.getResponseBody())
            {
                final byte[] kilobyte = new byte[1024];
                for (int i = 0; i < 64 * 1024; i++)
                {
                    out.write(kilobyte);
                    out.flush();
                    Thread.sleep(1);
                }
            }
            catch (final IOException ex)
            {
                dripBroken.complete(ex.toString()); // the connector reset the private host's connection
                throw ex;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        origin.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        origin.start();
        base = "http://127.0.0.1:" + origin.getAddress().getPort();
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .service(ServiceConfig.http("users-api", Tunnels.TUNNEL, "127.0.0.1", origin.getAddress().getPort(), 0,
                CertVerification.VERIFY_FULL))
            .eventLoops(2)
            .build());
        connector = Tunnels.connector(edge);
    }

    @AfterEach
    void tearDown()
    {
        connector.close();
        edge.close();
        origin.stop(0);
    }

    private static void respond(final HttpExchange exchange, final int status, final String text) throws IOException
    {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    private VpcNetwork network()
    {
        return edge.network(Tunnels.NETWORK);
    }

    private static WarrenException failure(final java.util.concurrent.CompletableFuture<?> future)
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(WarrenException.class, ex.getCause());
    }

    @Test
    void shouldGetHeadPostAndReadStatusesWithoutBodies() throws Exception
    {
        final FetchResponse hello = network().fetch(base + "/hello").get(10, TimeUnit.SECONDS);
        assertEquals(200, hello.status());
        assertTrue(hello.ok());
        assertEquals("text/plain; charset=utf-8", hello.headers().first("content-type"));
        assertEquals("hello from the origin", hello.text().get(10, TimeUnit.SECONDS));
        assertFalse(hello.redirected());

        final FetchResponse head = network().fetch(FetchRequest.builder(base + "/hello").method("HEAD").build())
            .get(10, TimeUnit.SECONDS);
        assertEquals(200, head.status());
        assertEquals(0, head.bytes().get(10, TimeUnit.SECONDS).length, "HEAD has no body");

        final FetchResponse post = network().fetch(FetchRequest.builder(base + "/echo").method("POST")
            .headers(HttpHeaders.of("Content-Type", "application/json")).body("{\"name\":\"John\"}").build())
            .get(10, TimeUnit.SECONDS);
        assertEquals("POST", post.headers().first("x-method"));
        assertEquals("{\"name\":\"John\"}", post.text().get(10, TimeUnit.SECONDS));

        for (final int status : new int[]{204, 304, 404, 500})
        {
            final FetchResponse response = network().fetch(base + "/status/" + status).get(10, TimeUnit.SECONDS);
            assertEquals(status, response.status());
            assertEquals(status == 204, response.ok());
            assertEquals(0, response.bytes().get(10, TimeUnit.SECONDS).length);
        }
        assertPoolsReturnToZero();
    }

    @Test
    void shouldStreamChunkedAndLargeBodiesWithBoundedMemory() throws Exception
    {
        final String chunked = network().fetch(base + "/chunked").get(10, TimeUnit.SECONDS).text()
            .get(10, TimeUnit.SECONDS);
        assertEquals(100, chunked.lines().count());
        assertTrue(chunked.startsWith("line 0\nline 1\n") && chunked.endsWith("line 99\n"));

        final FetchResponse big = network().fetch(base + "/big").get(10, TimeUnit.SECONDS);
        assertEquals(String.valueOf(BIG), big.headers().first("content-length"));
        final SocketReader reader = new SocketReader(false, 4);
        big.body().subscribe(reader);
        reader.done().get(60, TimeUnit.SECONDS);
        assertEquals(BIG, reader.bytes());
        final MessageDigest expected = Payloads.sha256();
        for (long sent = 0; sent < BIG; sent += 1024 * 1024)
        {
            expected.update(Payloads.random(sent, 1024 * 1024));
        }
        assertArrayEquals(expected.digest(), reader.sha256());
        assertPoolsReturnToZero();
    }

    @Test
    void shouldUploadSixteenMebibytes() throws Exception
    {
        final byte[] upload = Payloads.random(16, 16 * 1024 * 1024);
        final FetchResponse response = network().fetch(FetchRequest.builder(base + "/echo").method("PUT")
            .body(upload).build()).get(30, TimeUnit.SECONDS);
        assertArrayEquals(upload, response.bytes().get(30, TimeUnit.SECONDS));
    }

    @Test
    void shouldRouteAServiceToItsConfiguredTargetWithTheUrlsHostInHost() throws Exception
    {
        final FetchResponse response = edge.service("users-api").fetch("http://anything.example:9999/host")
            .get(10, TimeUnit.SECONDS);
        assertEquals(200, response.status());
        assertEquals("anything.example:9999", seenHost.get("host"));
        final WarrenException https = assertThrows(WarrenException.class,
            () -> edge.service("users-api").fetch("https://anything.example/host"));
        assertEquals(ErrorCode.REQUEST_INVALID, https.code());
    }

    @Test
    void shouldFollowRedirectsOrNotAsAskedAndDropCredentialsAcrossOrigins() throws Exception
    {
        final FetchResponse followed = network().fetch(base + "/redirect/302?to=/hello").get(10, TimeUnit.SECONDS);
        assertEquals(200, followed.status());
        assertTrue(followed.redirected());
        assertEquals(base + "/hello", followed.url().toString());
        assertEquals("hello from the origin", followed.text().get(10, TimeUnit.SECONDS));

        final FetchResponse manual = network().fetch(FetchRequest.builder(base + "/redirect/301?to=/hello")
            .redirect(RedirectMode.MANUAL).build()).get(10, TimeUnit.SECONDS);
        assertEquals(301, manual.status());
        assertEquals("/hello", manual.headers().first("location"));

        assertEquals(ErrorCode.REQUEST_INVALID, failure(network().fetch(FetchRequest.builder(base +
            "/redirect/307?to=/hello").redirect(RedirectMode.ERROR).build())).code());

        final FetchResponse seeOther = network().fetch(FetchRequest.builder(base + "/redirect/303?to=/auth")
            .method("POST").body("x").headers(HttpHeaders.of("Authorization", "Bearer secret")).build())
            .get(10, TimeUnit.SECONDS);
        assertEquals("GET", seeOther.text().get(10, TimeUnit.SECONDS), "303 turns into a GET");
        assertEquals("Bearer secret", seenAuthorization.get("127.0.0.1:" + origin.getAddress().getPort()),
            "same origin keeps credentials");

        // Another origin: "localhost" names the same server, but it is another origin, so credentials go.
        final String other = "http://localhost:" + origin.getAddress().getPort() + "/auth";
        final FetchResponse crossed = network().fetch(FetchRequest.builder(base + "/redirect/302?to=" + other)
            .headers(HttpHeaders.of("Authorization", "Bearer secret", "Cookie", "a=b")).build())
            .get(10, TimeUnit.SECONDS);
        assertEquals(200, crossed.status());
        assertEquals("<none>", seenAuthorization.get("localhost:" + origin.getAddress().getPort()),
            "credentials are dropped on a redirect to another origin");

    }

    @Test
    void shouldRefuseMalformedRequestsAtOnce()
    {
        for (final String url : new String[]{"/relative", "ftp://127.0.0.1/x", "http:opaque", "https:opaque"})
        {
            assertEquals(ErrorCode.REQUEST_INVALID,
                assertThrows(WarrenException.class, () -> network().fetch(url), url).code(), url);
        }
        assertEquals(ErrorCode.REQUEST_INVALID, assertThrows(WarrenException.class, () -> network().fetch(
            FetchRequest.builder(base + "/hello").body("no").build())).code());
        assertEquals(ErrorCode.REQUEST_INVALID, assertThrows(WarrenException.class, () -> network().fetch(
            FetchRequest.builder(base + "/hello").method("CONNECT").build())).code());
        assertEquals(ErrorCode.REQUEST_INVALID, assertThrows(WarrenException.class, () -> network().fetch(
            FetchRequest.builder(base + "/hello").headers(HttpHeaders.of("Bad Name", "x")).build())).code());
        assertEquals(ErrorCode.REQUEST_INVALID, assertThrows(WarrenException.class, () -> network().fetch(
            FetchRequest.builder(base + "/hello").headers(HttpHeaders.of("X-Evil", "a\r\nInjected: 1")).build()))
            .code());
    }

    @Test
    void shouldReportUnreachableHostsWithTheirCodes() throws Exception
    {
        final int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            closed = probe.getLocalPort();
        }
        assertEquals(ErrorCode.CONNECTION_REFUSED, failure(network().fetch("http://127.0.0.1:" + closed + "/")).code());
        assertEquals(ErrorCode.DESTINATION_NOT_ALLOWED, failure(network().fetch("http://[::2]:80/")).code());
        connector.close();
        Tunnels.await("no connector", () -> edge.liveConnections(Tunnels.TUNNEL) == 0, 5_000);
        assertEquals(ErrorCode.DESTINATION_UNAVAILABLE, failure(network().fetch(base + "/hello")).code());
        connector = Tunnels.connector(edge);
    }

    @Test
    void shouldTimeOutWaitingForTheHeadAndResetTheStream() throws Exception
    {
        final long start = System.nanoTime();
        final WarrenException error = failure(network().fetch(FetchRequest.builder(base + "/slow")
            .timeout(java.time.Duration.ofMillis(300)).build()));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ErrorCode.CONNECTION_TIMEOUT, error.code());
        assertTrue(elapsedMs >= 250 && elapsedMs < 2_000, "timed out after " + elapsedMs + " ms");
        Tunnels.await("the connector dropped the stream at once",
            () -> ((dev.warren.engine.connector.ConnectorRuntime)connector).openStreams() == 0, 2_000);
    }

    @Test
    void shouldResetTheStreamOnBothSidesWhenTheCallerCancels() throws Exception
    {
        // Before the head: cancelling the future.
        final var pending = network().fetch(base + "/slow");
        Tunnels.await("the stream reached the connector",
            () -> ((dev.warren.engine.connector.ConnectorRuntime)connector).openStreams() == 1, 5_000);
        pending.cancel(true);
        Tunnels.await("cancel before the head resets the stream",
            () -> ((dev.warren.engine.connector.ConnectorRuntime)connector).openStreams() == 0, 2_000);

        // Mid-body: cancelling the body's subscription; the private host's connection is reset.
        final FetchResponse drip = network().fetch(base + "/drip").get(10, TimeUnit.SECONDS);
        final java.util.concurrent.CompletableFuture<java.util.concurrent.Flow.Subscription> subscribed =
            new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        drip.body().subscribe(new java.util.concurrent.Flow.Subscriber<>()
        {
            @Override
            public void onSubscribe(final java.util.concurrent.Flow.Subscription subscription)
            {
                subscribed.complete(subscription);
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(final java.nio.ByteBuffer item)
            {
                received.addAndGet(item.remaining());
            }

            @Override
            public void onError(final Throwable throwable)
            {
            }

            @Override
            public void onComplete()
            {
            }
        });
        try
        {
            Tunnels.await("some of the body arrived", () -> received.get() > 64 * 1024, 10_000);
        }
        catch (final AssertionError e)
        {
            System.err.println("DEBUG received=" + received.get() + "\nDEBUG connector:\n" +
                ((dev.warren.engine.connector.ConnectorRuntime)connector).describeStreams() + "DEBUG edge:\n" +
                ((EdgeRuntime)edge).describeStreams() + "DEBUG response " + drip);
            throw e;
        }
        subscribed.get(5, TimeUnit.SECONDS).cancel();
        final String broken = dripBroken.get(10, TimeUnit.SECONDS);
        assertTrue(received.get() < 64L * 1024 * 1024, "cancelled before the end: " + received.get() + "; " + broken);
        Tunnels.await("the connector dropped the stream",
            () -> ((dev.warren.engine.connector.ConnectorRuntime)connector).openStreams() == 0, 2_000);
    }

    private void assertPoolsReturnToZero()
    {
        Tunnels.await("edge pools back to zero", () -> Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) == 0, 5_000);
    }
}
