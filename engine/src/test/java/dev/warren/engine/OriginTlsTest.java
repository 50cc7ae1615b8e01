package dev.warren.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.ServiceConfig;
import dev.warren.api.WarrenException;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.TestPki;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fetch() of https URLs: the connector originates TLS to the private host (SPEC §2, §3). A private CA and its
 * certificates are made at test time with keytool; the origins are the JDK's HttpsServer on loopback, which record
 * the Host header, the SNI name the connector presented, the client port (one per TLS connection) and the protocol.
 * No fake name is ever resolved: a VPC Service's URL host is not, and network tests use 127.0.0.1 and localhost.
 */
class OriginTlsTest
{
    private static TestPki pki;
    /** Certificate for anything.example, localhost and 127.0.0.1, from the test CA. */
    private static Path goodStore;
    /** Certificate for other.example only, from the test CA. */
    private static Path otherStore;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Edge edge;
    private ConnectorRuntime connector;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        pki = TestPki.create("Warren Test CA");
        final List<Path> stores = pki.servers(new String[] {"good", "other"},
            new String[] {"dns:anything.example,dns:localhost,ip:127.0.0.1", "dns:other.example"});
        goodStore = stores.get(0);
        otherStore = stores.get(1);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        stopConnector();
        if (edge != null)
        {
            edge.close();
        }
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    private void stopConnector()
    {
        if (connector != null)
        {
            connector.close();
            connector = null;
        }
    }

    /** What an origin saw, per exchange. */
    private static final class Origin
    {
        final HttpsServer server;
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        final List<String> hosts = new CopyOnWriteArrayList<>();
        final List<String> serverNames = new CopyOnWriteArrayList<>();
        final List<String> protocols = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> endlessEnded = new CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicLong dripped = new java.util.concurrent.atomic.AtomicLong();

        Origin(final HttpsServer server)
        {
            this.server = server;
        }

        int port()
        {
            return server.getAddress().getPort();
        }

        void saw(final HttpExchange exchange)
        {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            final javax.net.ssl.SSLSession session = ((HttpsExchange)exchange).getSSLSession();
            protocols.add(session.getProtocol());
            String sni = "<none>";
            if (session instanceof ExtendedSSLSession extended)
            {
                for (final SNIServerName name : extended.getRequestedServerNames())
                {
                    if (name instanceof SNIHostName host)
                    {
                        sni = host.getAsciiName();
                    }
                }
            }
            serverNames.add(sni);
        }
    }

    /**
     * An HttpsServer on 127.0.0.1 with the key store's certificate: {@code /x} answers "ok", {@code /blob?n} n
     * random bytes, {@code /sha} the SHA-256 of the request body, {@code /endless} a body that never ends.
     *
     * @param protocols the TLS versions it speaks; none = the JDK's defaults (1.3 and 1.2).
     */
    private Origin origin(final Path store, final String... protocols) throws Exception
    {
        final SSLContext context = TestPki.serverContext(store);
        final HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(context)
        {
            @Override
            public void configure(final HttpsParameters params)
            {
                final SSLParameters parameters = context.getDefaultSSLParameters();
                if (protocols.length > 0)
                {
                    parameters.setProtocols(protocols);
                }
                params.setSSLParameters(parameters);
            }
        });
        final Origin origin = new Origin(server);
        server.createContext("/x", exchange ->
        {
            origin.saw(exchange);
            respond(exchange, ("ok " + exchange.getRequestURI()).getBytes(StandardCharsets.US_ASCII));
        });
        server.createContext("/close", exchange ->
        {
            origin.saw(exchange);
            exchange.getResponseHeaders().set("Connection", "close");
            respond(exchange, "closing".getBytes(StandardCharsets.US_ASCII));
        });
        server.createContext("/blob", exchange ->
        {
            origin.saw(exchange);
            final int length = Integer.parseInt(exchange.getRequestURI().getQuery());
            respond(exchange, Payloads.random(length, length));
        });
        server.createContext("/sha", exchange ->
        {
            origin.saw(exchange);
            final MessageDigest sha = Payloads.sha256();
            try (InputStream in = exchange.getRequestBody())
            {
                final byte[] block = new byte[64 * 1024];
                int n;
                while ((n = in.read(block)) >= 0)
                {
                    sha.update(block, 0, n);
                }
            }
            respond(exchange, HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.US_ASCII));
        });
        server.createContext("/drip", exchange ->
        {
            origin.saw(exchange);
            final int length = Integer.parseInt(exchange.getRequestURI().getQuery());
            final byte[] body = Payloads.random(length, length);
            exchange.sendResponseHeaders(200, length);
            try (OutputStream out = exchange.getResponseBody())
            {
                for (int at = 0; at < length; at += 64 * 1024)
                {
                    out.write(body, at, Math.min(64 * 1024, length - at));
                    origin.dripped.addAndGet(Math.min(64 * 1024, length - at));
                }
            }
        });
        server.createContext("/endless", exchange ->
        {
            origin.saw(exchange);
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
                origin.endlessEnded.complete("write failed: " + ex.getMessage());
            }
        });
        final ExecutorService executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
        resources.add(() ->
        {
            server.stop(0);
            executor.shutdownNow();
        });
        return origin;
    }

    private static void respond(final HttpExchange exchange, final byte[] body) throws IOException
    {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    /** An edge with these services (and the test network), and a connector with one tunnel connection on one loop. */
    private void start(final Path caFile, final ServiceConfig... services)
    {
        final EdgeConfig.Builder config = EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .eventLoops(2);
        for (final ServiceConfig service : services)
        {
            config.service(service);
        }
        edge = Warren.startEdge(config.build());
        startConnector(caFile);
    }

    private void startConnector(final Path caFile)
    {
        startConnector(caFile, ConnectorConfig.DEFAULT_CONNECT_TIMEOUT);
    }

    private void startConnector(final Path caFile, final Duration connectTimeout)
    {
        connector = (ConnectorRuntime)Tunnels.connector(edge, Tunnels.connectorConfig(edge)
            .connectTimeout(connectTimeout)
            .haConnections(1)
            .eventLoops(1)
            .keepAlive(100, Duration.ofSeconds(90))
            .originCaFile(caFile)
            .build());
    }

    private static ServiceConfig https(final String name, final Origin origin, final CertVerification verification)
    {
        return ServiceConfig.http(name, Tunnels.TUNNEL, "127.0.0.1", 0, origin.port(), verification);
    }

    private String get(final String binding, final String url) throws Exception
    {
        final FetchResponse response = fetch(binding, FetchRequest.builder(url).build()).get(10, TimeUnit.SECONDS);
        return response.status() + " " + response.text().get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<FetchResponse> fetch(final String binding, final FetchRequest request)
    {
        return Tunnels.NETWORK.equals(binding) ? edge.network(binding).fetch(request) :
            edge.service(binding).fetch(request);
    }

    private WarrenException failure(final String binding, final String url)
    {
        final ExecutionException ex = assertThrows(ExecutionException.class,
            () -> fetch(binding, FetchRequest.builder(url).build()).get(10, TimeUnit.SECONDS));
        return assertInstanceOf(WarrenException.class, ex.getCause());
    }

    @Test
    void shouldSendAServicesHttpsToItsHttpsPortWithTheUrlsHostAsHostAndSni() throws Exception
    {
        final Origin good = origin(goodStore);
        start(pki.caPem(), https("secure", good, CertVerification.VERIFY_FULL));

        assertEquals("200 ok /x", get("secure", "https://anything.example:9999/x"));
        assertEquals("anything.example:9999", good.hosts.get(0), "the URL's host and port fill Host");
        assertEquals("anything.example", good.serverNames.get(0), "the URL's host is the SNI name");

        assertEquals("200 ok /x", get("secure", "https://anything.example/x"));
        assertEquals("anything.example", good.hosts.get(1), "443 is https's default port: Host has none");

        final java.net.http.HttpResponse<String> viaJdkClient = dev.warren.api.BindingHttpClient.of(
            edge.service("secure")).send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("https://anything.example:8443/x")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("ok /x", viaJdkClient.body(), "the JDK HttpClient adapter takes https URLs too");
        assertEquals("anything.example:8443", good.hosts.get(2));
        assertEquals("anything.example", good.serverNames.get(2));

        final WarrenException http = assertThrows(WarrenException.class,
            () -> edge.service("secure").fetch("http://anything.example/x"));
        assertEquals(ErrorCode.REQUEST_INVALID, http.code(), "no httpPort: http is refused at once");
    }

    @Test
    void shouldRefuseACertificateForAnotherNameWithVerifyFullButNotWithVerifyCa() throws Exception
    {
        final Origin other = origin(otherStore);
        start(pki.caPem(), https("full", other, CertVerification.VERIFY_FULL),
            https("ca", other, CertVerification.VERIFY_CA));

        final WarrenException refused = failure("full", "https://anything.example/x");
        assertEquals(ErrorCode.TLS_ERROR, refused.code());
        assertTrue(refused.getMessage().contains("does not match server name 'anything.example'") &&
            refused.getMessage().contains("host name check"), refused.getMessage());
        assertTrue(other.hosts.isEmpty(), "no request reached the origin");

        assertEquals("200 ok /x", get("ca", "https://anything.example/x"));
        assertEquals("anything.example", other.serverNames.get(0));
        Tunnels.await("the failed handshake left no connection", () -> connector.originConnections()[0] == 1, 5_000);
    }

    @Test
    void shouldRefuseAnUnknownCaUnlessDisabledOrTrustedThroughTheCaBundle() throws Exception
    {
        final Origin good = origin(goodStore);
        final String network = "https://127.0.0.1:" + good.port() + "/x";
        start(null, https("ca", good, CertVerification.VERIFY_CA), https("off", good, CertVerification.DISABLED),
            https("full", good, CertVerification.VERIFY_FULL));

        final WarrenException unknown = failure("ca", "https://anything.example/x");
        assertEquals(ErrorCode.TLS_ERROR, unknown.code());
        assertTrue(unknown.getMessage().contains("chain not trusted (chain check)"), unknown.getMessage());
        assertEquals(ErrorCode.TLS_ERROR, failure("full", "https://anything.example/x").code());
        assertEquals(ErrorCode.TLS_ERROR, failure(Tunnels.NETWORK, network).code(), "a network is verify_full");
        try (dev.warren.engine.support.LogCapture log = new dev.warren.engine.support.LogCapture("dev.warren.connector"))
        {
            assertEquals("200 closing", get("off", "https://anything.example/close"), "disabled accepts any certificate");
            assertEquals("200 closing", get("off", "https://anything.example/close"));
            assertEquals(2, good.clientPorts.size(), "two TLS connections, two handshakes");
            assertEquals(1, log.records().stream().filter(record ->
                record.getMessage().contains("certVerification disabled")).count(), "one warning per destination");
        }

        stopConnector();
        startConnector(pki.caPem());
        assertEquals("200 ok /x", get("full", "https://anything.example/x"), "the CA bundle makes the CA trusted");
        assertEquals("200 ok /x", get(Tunnels.NETWORK, network), "verify_full against the IP address SAN");
        assertEquals("<none>", good.serverNames.get(good.serverNames.size() - 1), "no SNI for an IP address");
        assertEquals("200 ok /x", get(Tunnels.NETWORK, "https://localhost:" + good.port() + "/x"));
        assertEquals("localhost", good.serverNames.get(good.serverNames.size() - 1));
    }

    @Test
    void shouldReuseOneTlsConnectionPerServerNameAndVerification() throws Exception
    {
        final Origin good = origin(goodStore);
        start(pki.caPem(), https("full", good, CertVerification.VERIFY_FULL),
            https("ca", good, CertVerification.VERIFY_CA));

        for (int i = 0; i < 20; i++)
        {
            assertEquals("200 ok /x?" + i, get("full", "https://anything.example/x?" + i));
        }
        assertEquals(1, good.clientPorts.size(), "one TLS connection carried them all: " + good.clientPorts);
        assertEquals(19, connector.originReuses()[0]);
        assertEquals("TLSv1.3", good.protocols.get(0));

        assertEquals("200 ok /x", get("ca", "https://anything.example/x"));
        assertEquals(2, good.clientPorts.size(), "another verification mode never shares a connection");
        assertEquals("200 ok /x", get("full", "https://anything.example/x"));
        assertEquals(2, good.clientPorts.size(), "verify_full took its own pooled connection back");
        assertEquals(2, connector.originReuses()[1], "connections dialed");
    }

    @Test
    void shouldSpeakTls12AndReuseItsConnection() throws Exception
    {
        final Origin old = origin(goodStore, "TLSv1.2");
        start(pki.caPem(), https("full", old, CertVerification.VERIFY_FULL));

        for (int i = 0; i < 5; i++)
        {
            assertEquals("200 ok /x?" + i, get("full", "https://anything.example/x?" + i));
        }
        assertEquals(List.of("TLSv1.2"), old.protocols.stream().distinct().toList());
        assertEquals(1, old.clientPorts.size());
        assertEquals("anything.example", old.serverNames.get(0));
    }

    @Test
    void shouldCarrySixteenMebibytesDownAndOneMebibyteUpIntact() throws Exception
    {
        final Origin good = origin(goodStore);
        start(pki.caPem(), https("full", good, CertVerification.VERIFY_FULL));

        final int down = 16 * 1024 * 1024;
        final FetchResponse response = edge.service("full").fetch("https://anything.example/blob?" + down)
            .get(10, TimeUnit.SECONDS);
        final byte[] body = response.bytes().get(60, TimeUnit.SECONDS);
        assertEquals(down, body.length);
        assertEquals(HexFormat.of().formatHex(Payloads.sha256().digest(Payloads.random(down, down))),
            HexFormat.of().formatHex(Payloads.sha256().digest(body)));

        final byte[] upload = Payloads.random(7, 1024 * 1024);
        final FetchResponse uploaded = edge.service("full").fetch(FetchRequest.builder("https://anything.example/sha")
            .method("POST").body(upload).build()).get(30, TimeUnit.SECONDS);
        assertEquals(HexFormat.of().formatHex(Payloads.sha256().digest(upload)),
            uploaded.text().get(30, TimeUnit.SECONDS));

        // A streamed body of unknown length (chunked), through the connector's TLS, over the same connection.
        final dev.warren.engine.support.BodySource streamed = dev.warren.engine.support.BodySource.of(8L * 1024 * 1024);
        final String streamedSha = edge.service("full").fetch(FetchRequest.builder("https://anything.example/sha")
            .method("POST").body(streamed).build()).get(30, TimeUnit.SECONDS).text().get(30, TimeUnit.SECONDS);
        assertEquals(HexFormat.of().formatHex(streamed.sha256()), streamedSha);
        assertEquals(1, good.clientPorts.size(), "all three over one TLS connection");
        Tunnels.await("connector chunks all back in the pool", () -> Tunnels.buffersInUse(connector.loops()) == 0,
            5_000);
        Tunnels.await("edge chunks all back in the pool",
            () -> Tunnels.buffersInUse(((dev.warren.engine.edge.EdgeRuntime)edge).loops()) == 0, 5_000);
    }

    @Test
    void shouldCloseTheTlsOriginConnectionWhenTheCallerCancelsMidBody() throws Exception
    {
        final Origin good = origin(goodStore);
        start(pki.caPem(), https("full", good, CertVerification.VERIFY_FULL));

        final FetchResponse response = edge.service("full").fetch("https://anything.example/endless")
            .get(10, TimeUnit.SECONDS);
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
        assertTrue(cancelledAfter.get(10, TimeUnit.SECONDS) > 1024 * 1024);
        assertTrue(good.endlessEnded.get(10, TimeUnit.SECONDS).startsWith("write failed"),
            "the origin's TLS connection was closed");
        Tunnels.await("no origin connection left, none pooled", () -> connector.originConnections()[0] == 0, 5_000);

        assertEquals("200 ok /x", get("full", "https://anything.example/x"), "the next fetch dials afresh");
        assertEquals(2, good.clientPorts.size());
    }

    @Test
    void shouldHoldASlowReadersTlsResponseToItsWindowAndThenDeliverItIntact() throws Exception
    {
        final Origin good = origin(goodStore);
        start(pki.caPem(), https("full", good, CertVerification.VERIFY_FULL));
        final int length = 32 * 1024 * 1024;

        final FetchResponse response = edge.service("full").fetch("https://anything.example/drip?" + length)
            .get(10, TimeUnit.SECONDS);
        final MessageDigest sha = Payloads.sha256();
        final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        final CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        response.body().subscribe(new Flow.Subscriber<>()
        {
            @Override
            public void onSubscribe(final Flow.Subscription subscription)
            {
                subscribed.complete(subscription);
                subscription.request(1);
            }

            @Override
            public void onNext(final ByteBuffer item)
            {
                received.addAndGet(item.remaining());
                sha.update(item);
            }

            @Override
            public void onError(final Throwable throwable)
            {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete()
            {
                done.complete(null);
            }
        });
        Tunnels.await("the first piece arrived", () -> received.get() > 0, 10_000);
        // The reader stalls: the connector stops reading, then the origin stops writing once the socket buffers
        // (which the kernel may grow for a while on a busy machine) are full. Wait until it has stopped.
        long written = -1;
        for (int i = 0; i < 40 && written != good.dripped.get(); i++)
        {
            written = good.dripped.get();
            Thread.sleep(500);
        }
        assertEquals(written, good.dripped.get(), "the origin is held back by TCP, not buffered without bound");
        assertTrue(written < length / 2, "the origin wrote " + written + " of " + length + " for a stalled reader");
        final int chunks = Tunnels.buffersInUse(connector.loops());
        assertTrue(chunks <= 16, "the connector holds " + chunks + " 64 KiB chunks for a stalled stream");

        subscribed.get().request(Long.MAX_VALUE);
        done.get(60, TimeUnit.SECONDS);
        assertEquals(length, received.get());
        assertEquals(HexFormat.of().formatHex(Payloads.sha256().digest(Payloads.random(length, length))),
            HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void shouldFailWithTlsErrorWhenTheHostDoesNotSpeakTls() throws Exception
    {
        final java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final java.net.ServerSocket plain = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        resources.add(silent);
        resources.add(plain);
        final List<java.net.Socket> accepted = new CopyOnWriteArrayList<>();
        for (final java.net.ServerSocket server : new java.net.ServerSocket[] {silent, plain})
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final java.net.Socket socket = server.accept();
                        accepted.add(socket);
                        if (server == plain)
                        {
                            socket.getOutputStream().write(
                                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }
                catch (final IOException ignore)
                {
                    // closed
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        resources.add(() ->
        {
            for (final java.net.Socket socket : accepted)
            {
                socket.close();
            }
        });
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .service(ServiceConfig.http("silent", Tunnels.TUNNEL, "127.0.0.1", 0, silent.getLocalPort(),
                CertVerification.VERIFY_FULL))
            .service(ServiceConfig.http("plain", Tunnels.TUNNEL, "127.0.0.1", 0, plain.getLocalPort(),
                CertVerification.VERIFY_FULL))
            .eventLoops(1)
            .build());
        startConnector(pki.caPem(), Duration.ofMillis(700));

        final long start = System.nanoTime();
        final WarrenException timedOut = failure("silent", "https://anything.example/x");
        assertEquals(ErrorCode.TLS_ERROR, timedOut.code());
        assertTrue(timedOut.getMessage().contains("did not complete within 700 ms"), timedOut.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));

        final WarrenException notTls = failure("plain", "https://anything.example/x");
        assertEquals(ErrorCode.TLS_ERROR, notTls.code());
        assertTrue(notTls.getMessage().contains("TLS handshake with 127.0.0.1:" + plain.getLocalPort()), notTls.getMessage());
        Tunnels.await("no origin connection left", () -> connector.originConnections()[0] == 0, 5_000);
    }
}
