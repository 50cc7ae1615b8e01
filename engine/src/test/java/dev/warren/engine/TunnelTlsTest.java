package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.ConnectorTlsConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.FetchResponse;
import dev.warren.api.TcpSocket;
import dev.warren.api.TlsConfig;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.LogCapture;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import dev.warren.engine.tls.DevCertificates;
import dev.warren.engine.tls.EdgeTlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the tunnel (issue 7): a real edge with a PEM certificate and real connectors on loopback. Traffic flows
 * over TLS; every way a connector can meet an edge it must not trust (another CA, a wrong pin, an expired or
 * mismatched certificate, a plaintext edge) is refused with a log line that says which check failed, and no stream
 * ever reaches it; plaintext and random bytes at a TLS edge fail alone while a healthy tunnel carries on.
 */
class TunnelTlsTest
{
    private static final String CONNECTOR_LOG = "dev.warren.connector";
    private static final String EDGE_LOG = "dev.warren.edge";

    @TempDir
    static Path pki;

    private static Path caFile;
    private static Path otherCaFile;
    private static TlsConfig edgeTls;
    private static TlsConfig rsaTls;
    private static TlsConfig expiredTls;
    private static TlsConfig otherHostTls;
    private static String edgePin;
    private static String rsaPin;

    private EchoServer echo;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws IOException
    {
        final Instant now = Instant.now();
        final Instant start = now.minus(Duration.ofMinutes(5));
        final Instant end = now.plus(Duration.ofDays(1));
        final DevCertificates.Issued ca = DevCertificates.ca("tunnel test CA", DevCertificates.ecKeys(), start, end);
        final DevCertificates.Issued other = DevCertificates.ca("another CA", DevCertificates.ecKeys(), start, end);
        caFile = write("ca.crt", DevCertificates.pem(ca.certificate()));
        otherCaFile = write("other-ca.crt", DevCertificates.pem(other.certificate()));
        final DevCertificates.Issued edge = DevCertificates.server(ca, "edge", List.of("127.0.0.1", "localhost"),
            DevCertificates.ecKeys(), start, end);
        edgeTls = files("edge", edge, ca);
        edgePin = EdgeTlsContext.pinOf(edge.certificate());
        final DevCertificates.Issued rsaCa = DevCertificates.ca("RSA CA", DevCertificates.rsaKeys(), start, end);
        final DevCertificates.Issued rsa = DevCertificates.server(rsaCa, "rsa-edge", List.of("127.0.0.1"),
            DevCertificates.rsaKeys(), start, end);
        rsaTls = files("rsa-edge", rsa, rsaCa);
        rsaPin = EdgeTlsContext.pinOf(rsa.certificate());
        expiredTls = files("expired", DevCertificates.server(ca, "expired", List.of("127.0.0.1"),
            DevCertificates.ecKeys(), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))), ca);
        otherHostTls = files("other-host", DevCertificates.server(ca, "other", List.of("edge.example.com"),
            DevCertificates.ecKeys(), start, end), ca);
    }

    @BeforeEach
    void setUp()
    {
        echo = new EchoServer();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = closing.size() - 1; i >= 0; i--)
        {
            closing.get(i).close();
        }
        echo.close();
    }

    @Test
    void shouldCarryConnectAndFetchTrafficOverTls() throws Exception
    {
        final Edge edge = edge(edgeTls);
        final Connector connector = connected(edge, config(edge).tls(ConnectorTlsConfig.caFile(caFile)));
        final VpcNetwork network = edge.network(Tunnels.NETWORK);

        // 1 MiB through one stream, both ways, byte for byte.
        final TcpSocket socket = network.connect(echo.address());
        final SocketReader reader = new SocketReader(false, 16);
        socket.readable().subscribe(reader);
        final byte[] sent = Payloads.writeRandom(socket, 7, 1024 * 1024, 64 * 1024).get(30, TimeUnit.SECONDS);
        reader.done().get(30, TimeUnit.SECONDS);
        assertEquals(1024 * 1024, reader.bytes());
        assertArrayEquals(sent, reader.sha256(), "SHA-256 of the echoed 1 MiB");

        // Many streams at once, spread over both TLS connections.
        final int streams = 64;
        final List<SocketReader> readers = new ArrayList<>();
        final List<CompletableFuture<byte[]>> written = new ArrayList<>();
        for (int i = 0; i < streams; i++)
        {
            final TcpSocket stream = network.connect(echo.address());
            final SocketReader streamReader = new SocketReader(false, 8);
            stream.readable().subscribe(streamReader);
            readers.add(streamReader);
            written.add(Payloads.writeRandom(stream, 100 + i, 64 * 1024, 16 * 1024));
        }
        for (int i = 0; i < streams; i++)
        {
            final byte[] expected = written.get(i).get(30, TimeUnit.SECONDS);
            readers.get(i).done().get(30, TimeUnit.SECONDS);
            assertArrayEquals(expected, readers.get(i).sha256(), "stream " + i);
        }

        // fetch(): an HTTP exchange with a 1 MiB body.
        final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        final byte[] body = Payloads.random(9, 1024 * 1024);
        origin.createContext("/big", exchange ->
        {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        origin.start();
        closing.add(() -> origin.stop(0));
        final FetchResponse response = network.fetch("http://127.0.0.1:" + origin.getAddress().getPort() + "/big")
            .get(10, TimeUnit.SECONDS);
        assertEquals(200, response.status());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(body),
            MessageDigest.getInstance("SHA-256").digest(response.bytes().get(30, TimeUnit.SECONDS)));

        assertEquals(2, edge.liveConnections(Tunnels.TUNNEL));
        Tunnels.await("pools back to zero in use",
            () -> Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) == 0 &&
                Tunnels.buffersInUse(((ConnectorRuntime)connector).loops()) == 0, 5_000);
    }

    @Test
    void shouldAcceptAPinnedRsaCertificateAndAServerNameOverride() throws Exception
    {
        final Edge rsaEdge = edge(rsaTls);
        connected(rsaEdge, config(rsaEdge).tls(ConnectorTlsConfig.pin(rsaPin.toLowerCase(java.util.Locale.ROOT))));
        assertEchoes(rsaEdge);

        // A certificate for edge.example.com, dialed at 127.0.0.1: fine once serverName says which name to check.
        final Edge named = edge(otherHostTls);
        connected(named, config(named).tls(new ConnectorTlsConfig(caFile, "edge.example.com", null, null)));
        assertEchoes(named);
    }

    @Test
    void shouldRefuseAnEdgeSignedByAnotherCa() throws Exception
    {
        assertRefused(edgeTls, ConnectorTlsConfig.caFile(otherCaFile), "(chain check)");
    }

    @Test
    void shouldRefuseAWrongPin() throws Exception
    {
        assertRefused(edgeTls, ConnectorTlsConfig.pin(rsaPin), "not the pinned " + rsaPin + " (pin check)");
    }

    @Test
    void shouldRefuseAPinnedCertificateWhoseCaCheckFails() throws Exception
    {
        assertRefused(edgeTls, new ConnectorTlsConfig(otherCaFile, null, edgePin, null), "(chain check)");
    }

    @Test
    void shouldRefuseAnExpiredCertificate() throws Exception
    {
        assertRefused(expiredTls, ConnectorTlsConfig.caFile(caFile), "outside its validity period");
    }

    @Test
    void shouldRefuseACertificateForAnotherHost() throws Exception
    {
        assertRefused(otherHostTls, ConnectorTlsConfig.caFile(caFile), "does not name 127.0.0.1 (host name check");
    }

    @Test
    void shouldRefuseToStartAnEdgeWhosePemFilesAreMissingOrDoNotMatch()
    {
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> edge(new TlsConfig(Path.of("no-such-edge.crt"), Path.of("no-such-edge.key"))));
        assertTrue(missing.getMessage().startsWith("no-such-edge.crt: cannot read"), missing.getMessage());
        final IllegalArgumentException mismatched = assertThrows(IllegalArgumentException.class,
            () -> edge(new TlsConfig(edgeTls.cert(), rsaTls.key())));
        assertTrue(mismatched.getMessage().startsWith(rsaTls.key() + ": this key does not match the certificate in " +
            edgeTls.cert()), mismatched.getMessage());
    }

    @Test
    void shouldRefuseToStartWithoutTlsOrInsecure()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> ConnectorConfig.builder().tunnel(Tunnels.TUNNEL, Tunnels.TOKEN).build());
        assertTrue(refused.getMessage().contains("the connector must verify the edge"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectorConfig.builder()
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN).tls(ConnectorTlsConfig.caFile(caFile)).insecure(true).build());
    }

    @Test
    void shouldRefuseAPlaintextEdgeFromATlsConnector() throws Exception
    {
        assertRefused(null, ConnectorTlsConfig.caFile(caFile), "is the edge's tunnel plaintext?");
    }

    @Test
    void shouldWarnLoudlyAboutAnInsecureConnector() throws Exception
    {
        try (LogCapture log = new LogCapture(CONNECTOR_LOG))
        {
            final Edge edge = edge(null);
            connected(edge, config(edge).insecure(true));
            assertTrue(log.records().stream().anyMatch(record -> record.getLevel() == java.util.logging.Level.WARNING &&
                record.getMessage().contains("PLAINTEXT tunnel (insecure: true)")), "no warning at start");
        }
    }

    @Test
    void shouldFailAPlaintextConnectorCleanlyAndKeepServingTlsOnes() throws Exception
    {
        final Edge edge = edge(edgeTls);
        try (LogCapture edgeLog = new LogCapture(EDGE_LOG); LogCapture connectorLog = new LogCapture(CONNECTOR_LOG))
        {
            final Connector plain = Warren.startConnector(config(edge).insecure(true).build());
            closing.add(plain);
            Tunnels.await("the edge refuses the plaintext connector", () ->
                edgeLog.contains("(a plaintext connector? this edge's tunnel is TLS)"), 10_000);
            Tunnels.await("the connector says why", () ->
                connectorLog.contains("is its tunnel TLS? this connector dials plaintext"), 10_000);
            assertEquals(0, edge.liveConnections(Tunnels.TUNNEL));
            plain.close();
            connected(edge, config(edge).tls(ConnectorTlsConfig.caFile(caFile)));
            assertEchoes(edge);
        }
    }

    @Test
    void shouldRefuseTls12UnlessTheEdgeAllowsIt() throws Exception
    {
        final Edge strict = edge(edgeTls);
        final SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
            () -> handshake(strict.tunnelAddress(), "TLSv1.2"));
        assertFalse(refused.getMessage().isEmpty());
        assertEquals("TLSv1.3", handshake(strict.tunnelAddress(), "TLSv1.3"));

        final Edge lenient = edge(new TlsConfig(edgeTls.cert(), edgeTls.key(), TlsConfig.TLS_1_2));
        assertEquals("TLSv1.2", handshake(lenient.tunnelAddress(), "TLSv1.2"));
        assertEquals("TLSv1.3", handshake(lenient.tunnelAddress(), "TLSv1.3"));
        // A connector offering 1.2 as well still gets 1.3 from an edge that speaks it.
        connected(lenient, config(lenient).tls(new ConnectorTlsConfig(caFile, null, null, TlsConfig.TLS_1_2)));
        assertEchoes(lenient);
    }

    @Test
    void shouldKeepAHealthyTlsTunnelWhileRandomBytesHitItsPort() throws Exception
    {
        final Edge edge = edge(edgeTls);
        connected(edge, config(edge).tls(ConnectorTlsConfig.caFile(caFile)));
        final TcpSocket before = edge.network(Tunnels.NETWORK).connect(echo.address());
        final SocketReader reader = SocketReader.keeping();
        before.readable().subscribe(reader);
        before.write(ByteBuffer.wrap("before ".getBytes(StandardCharsets.US_ASCII))).get(5, TimeUnit.SECONDS);

        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 40; i++)
        {
            try (Socket hostile = new Socket())
            {
                hostile.connect(edge.tunnelAddress(), 2_000);
                final byte[] garbage = new byte[1 + random.nextInt(8192)];
                random.nextBytes(garbage);
                if (i % 4 == 1)
                {
                    garbage[0] = 0x16; // a TLS handshake record header, then nonsense
                    garbage[1] = 0x03;
                }
                hostile.getOutputStream().write(garbage);
                if (i % 2 == 0)
                {
                    hostile.setSoLinger(true, 0);
                }
            }
            catch (final IOException expected)
            {
                // the edge may close first: that is its answer to garbage
            }
        }
        before.write(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII))).get(5, TimeUnit.SECONDS);
        before.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(10, TimeUnit.SECONDS);
        assertEquals("before after", new String(reader.keptBytes(), StandardCharsets.US_ASCII));
        assertEquals(2, edge.liveConnections(Tunnels.TUNNEL));
        assertEchoes(edge);
    }

    @Test
    void shouldNeverCarryTheTokenOrHttpInClear() throws Exception
    {
        final Edge edge = edge(edgeTls);
        try (RecordingRelay relay = new RecordingRelay(edge.tunnelAddress()))
        {
            connected(edge, ConnectorConfig.builder()
                .edge(relay.address())
                .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
                .haConnections(1)
                .eventLoops(1)
                .allow("127.0.0.0/8")
                .tls(ConnectorTlsConfig.caFile(caFile)));
            final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            origin.createContext("/secret", exchange ->
            {
                final byte[] answer = "HTTP-ANSWER-MARKER".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(answer);
                }
            });
            origin.start();
            closing.add(() -> origin.stop(0));
            final FetchResponse response = edge.network(Tunnels.NETWORK)
                .fetch("http://127.0.0.1:" + origin.getAddress().getPort() + "/secret").get(10, TimeUnit.SECONDS);
            assertEquals("HTTP-ANSWER-MARKER", response.text().get(10, TimeUnit.SECONDS));
            assertEchoes(edge);

            final String wire = new String(relay.recorded(), StandardCharsets.ISO_8859_1);
            assertTrue(wire.length() > 1000, "the relay saw the traffic: " + wire.length() + " bytes");
            for (final String clear : new String[]{Tunnels.TOKEN, Tunnels.TUNNEL, "GET /secret", "HTTP/1.1",
                "HTTP-ANSWER-MARKER", "echo me"})
            {
                assertFalse(wire.contains(clear), "'" + clear + "' crossed the tunnel in clear");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void assertRefused(final TlsConfig edgeTls, final ConnectorTlsConfig trust, final String why)
        throws Exception
    {
        final Edge edge = edge(edgeTls);
        try (LogCapture log = new LogCapture(CONNECTOR_LOG))
        {
            final Connector connector = Warren.startConnector(config(edge).tls(trust).build());
            closing.add(connector);
            Tunnels.await("the connector refuses the edge: " + why, () -> log.records().stream().anyMatch(record ->
                record.getLevel() == java.util.logging.Level.SEVERE && record.getMessage().contains("refusing the edge") &&
                record.getMessage().contains(why)), 10_000);
        }
        assertEquals(0, edge.liveConnections(Tunnels.TUNNEL));
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> socket.opened().get(5, TimeUnit.SECONDS));
        assertInstanceOf(WarrenException.class, failed.getCause());
        assertEquals(ErrorCode.DESTINATION_UNAVAILABLE, ((WarrenException)failed.getCause()).code());
        assertEquals(0, echo.accepted(), "no stream reached the private host");
    }

    private void assertEchoes(final Edge edge) throws Exception
    {
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        final SocketReader reader = SocketReader.keeping();
        socket.readable().subscribe(reader);
        socket.write(ByteBuffer.wrap("echo me".getBytes(StandardCharsets.US_ASCII))).get(5, TimeUnit.SECONDS);
        socket.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(10, TimeUnit.SECONDS);
        assertEquals("echo me", new String(reader.keptBytes(), StandardCharsets.US_ASCII));
    }

    private Edge edge(final TlsConfig tls)
    {
        final Edge edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .eventLoops(2)
            .tls(tls)
            .build());
        closing.add(edge);
        return edge;
    }

    private static ConnectorConfig.Builder config(final Edge edge)
    {
        return ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .haConnections(2)
            .eventLoops(2)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .allow("127.0.0.0/8");
    }

    private Connector connected(final Edge edge, final ConnectorConfig.Builder config)
    {
        final Connector connector = Tunnels.connector(edge, config.build());
        closing.add(connector);
        return connector;
    }

    /** A blocking TLS handshake with a client that trusts anything and offers only {@code protocol}. */
    private static String handshake(final InetSocketAddress edge, final String protocol) throws Exception
    {
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager()
        {
            public void checkClientTrusted(final X509Certificate[] chain, final String authType)
            {
            }

            public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            {
            }

            public X509Certificate[] getAcceptedIssuers()
            {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket)context.getSocketFactory().createSocket(edge.getAddress(), edge.getPort()))
        {
            socket.setSoTimeout(5_000);
            socket.setEnabledProtocols(new String[]{protocol});
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }

    private static Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(pki.resolve(name), text);
    }

    private static TlsConfig files(final String stem, final DevCertificates.Issued issued, final DevCertificates.Issued ca)
        throws IOException
    {
        final Path cert = write(stem + ".crt", DevCertificates.pem(issued.certificate()) +
            DevCertificates.pem(ca.certificate()));
        final Path key = write(stem + ".key", DevCertificates.pem(issued.key()));
        return new TlsConfig(cert, key);
    }

    /** A TCP relay on loopback in front of the edge that keeps every byte it passes, both ways: the wire as seen. */
    private static final class RecordingRelay implements AutoCloseable
    {
        private final ServerSocket server;
        private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        private final List<Socket> sockets = new ArrayList<>();

        RecordingRelay(final InetSocketAddress target) throws IOException
        {
            server = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final Socket client = server.accept();
                        final Socket upstream = new Socket(target.getAddress(), target.getPort());
                        synchronized (sockets)
                        {
                            sockets.add(client);
                            sockets.add(upstream);
                        }
                        pump(client, upstream);
                        pump(upstream, client);
                    }
                }
                catch (final IOException closed)
                {
                    // the relay is closing
                }
            }, "recording-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address()
        {
            return new InetSocketAddress("127.0.0.1", server.getLocalPort());
        }

        byte[] recorded()
        {
            synchronized (recorded)
            {
                return recorded.toByteArray();
            }
        }

        private void pump(final Socket from, final Socket to)
        {
            final Thread thread = new Thread(() ->
            {
                final byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream())
                {
                    int read;
                    while ((read = in.read(buffer)) > 0)
                    {
                        synchronized (recorded)
                        {
                            recorded.write(buffer, 0, read);
                        }
                        out.write(buffer, 0, read);
                    }
                }
                catch (final IOException closed)
                {
                    // one side went away
                }
            }, "recording-relay-pump");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException
        {
            server.close();
            synchronized (sockets)
            {
                for (final Socket socket : sockets)
                {
                    socket.close();
                }
            }
        }
    }
}
