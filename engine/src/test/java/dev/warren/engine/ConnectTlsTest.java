package dev.warren.engine;

import dev.warren.api.CertVerification;
import dev.warren.api.ConnectOptions;
import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.SecureTransport;
import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.TestPki;
import dev.warren.engine.support.TlsEchoServer;
import dev.warren.engine.support.Tunnels;
import dev.warren.engine.tunnel.TunnelStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * connect() with secureTransport ON and STARTTLS (SPEC §4): TLS between the embedded caller and the private host,
 * end to end through a real edge and connector on loopback; the connector relays ciphertext. Certificates come from
 * a private CA made at test time ({@link TestPki}).
 */
class ConnectTlsTest
{
    private static TestPki pki;
    /** localhost and 127.0.0.1, from the test CA. */
    private static SSLContext good;
    /** other.example only, from the test CA. */
    private static SSLContext other;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Edge edge;
    private ConnectorRuntime connector;
    private VpcNetwork network;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        pki = TestPki.create("Warren Connect CA");
        final List<Path> stores = pki.servers(new String[] {"good", "other"},
            new String[] {"dns:localhost,ip:127.0.0.1", "dns:other.example"});
        good = TestPki.serverContext(stores.get(0));
        other = TestPki.serverContext(stores.get(1));
    }

    @BeforeEach
    void start()
    {
        edge = Tunnels.edge();
        connector = (ConnectorRuntime)Tunnels.connector(edge, Tunnels.connectorConfig(edge).haConnections(1).build());
        network = edge.network(Tunnels.NETWORK);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        connector.close();
        edge.close();
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    private TlsEchoServer host(final SSLContext context, final TlsEchoServer.Mode mode, final String... protocols)
        throws IOException
    {
        final TlsEchoServer host = new TlsEchoServer(context, mode, protocols);
        resources.add(host);
        return host;
    }

    private static ConnectOptions.Builder tls()
    {
        return ConnectOptions.builder().secureTransport(SecureTransport.ON).trustedCaFile(pki.caPem());
    }

    private static WarrenException failure(final Future<?> future)
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(WarrenException.class, ex.getCause());
    }

    @Test
    void shouldEchoOneMebibyteOverTlsEndToEnd() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO);
        final TcpSocket socket = network.connect(host.address(), tls().build());
        final SocketInfo info = socket.opened().get(10, TimeUnit.SECONDS);
        assertTrue(info.remoteAddress().endsWith(":" + host.port()), info.toString());
        // opened() resolved once our side finished the handshake; the host finishes when our Finished reaches it.
        Tunnels.await("the host completed its handshake", () -> host.handshakes() == 1, 5_000);

        final SocketReader reader = new SocketReader(false, 16);
        socket.readable().subscribe(reader);
        final byte[] sent = Payloads.writeRandom(socket, 11, 1024 * 1024, 48 * 1024).get(30, TimeUnit.SECONDS);
        reader.done().get(30, TimeUnit.SECONDS);
        assertEquals(1024 * 1024, reader.bytes());
        assertArrayEquals(sent, reader.sha256(), "SHA-256 of the echoed mebibyte");
        socket.closed().get(10, TimeUnit.SECONDS);
        assertEquals("TLSv1.3", host.protocols().get(0));
        assertTrue(host.failures().isEmpty(), "the host read our close_notify, not a bare end: " + host.failures());
        assertPoolsReturnToZero();
    }

    @Test
    void shouldSpeakTls12AndCloseCleanly() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO, "TLSv1.2");
        final TcpSocket socket = network.connect(host.address(), tls().build());
        final SocketReader reader = new SocketReader(false, 16);
        socket.readable().subscribe(reader);
        final byte[] sent = Payloads.writeRandom(socket, 12, 300_000, 10_000).get(30, TimeUnit.SECONDS);
        reader.done().get(30, TimeUnit.SECONDS);
        assertArrayEquals(sent, reader.sha256());
        socket.closed().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("TLSv1.2"), host.protocols());

        final TcpSocket closing = network.connect(host.address(), tls().build());
        closing.opened().get(10, TimeUnit.SECONDS);
        closing.readable().subscribe(new SocketReader(false, 1));
        closing.close();
        closing.closed().get(10, TimeUnit.SECONDS);
        assertTrue(host.failures().isEmpty(), "the host read close_notify both times: " + host.failures());
        assertPoolsReturnToZero();
    }

    @Test
    void shouldCarryManyConcurrentTlsSockets() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO);
        final int count = 40;
        final List<TcpSocket> sockets = new ArrayList<>();
        final List<SocketReader> readers = new ArrayList<>();
        final List<CompletableFuture<byte[]>> written = new ArrayList<>();
        final ConnectOptions options = tls().expectedServerHostname("localhost").build();
        for (int i = 0; i < count; i++)
        {
            final TcpSocket socket = network.connect(host.address(), options);
            final SocketReader reader = new SocketReader(false, 8);
            socket.readable().subscribe(reader);
            sockets.add(socket);
            readers.add(reader);
            written.add(Payloads.writeRandom(socket, i, 64 * 1024 + i, 16 * 1024));
        }
        for (int i = 0; i < count; i++)
        {
            final byte[] sent = written.get(i).get(60, TimeUnit.SECONDS);
            readers.get(i).done().get(60, TimeUnit.SECONDS);
            assertArrayEquals(sent, readers.get(i).sha256(), "socket " + i);
            sockets.get(i).closed().get(10, TimeUnit.SECONDS);
        }
        assertEquals(count, host.handshakes());
        assertPoolsReturnToZero();
    }

    @Test
    void shouldUpgradeInPlaceWithStartTlsAfterAPlaintextGreeting() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.STARTTLS);
        final TcpSocket socket = network.connect(host.address(), ConnectOptions.builder()
            .secureTransport(SecureTransport.STARTTLS).trustedCaFile(pki.caPem()).build());
        final LineReader lines = new LineReader();
        socket.readable().subscribe(lines);
        assertEquals("220 ready\r\n", lines.next().get(10, TimeUnit.SECONDS));
        socket.write(ByteBuffer.wrap("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("220 go ahead\r\n", lines.next().get(10, TimeUnit.SECONDS));

        final CompletableFuture<TcpSocket> upgraded = socket.startTls();
        final byte[] secret = "hello over TLS, the marker PLAINTEXT-SECRET-42\n".getBytes(StandardCharsets.US_ASCII);
        socket.write(ByteBuffer.wrap(secret)); // written right after startTls(): encrypted, after the handshake
        assertSame(socket, upgraded.get(10, TimeUnit.SECONDS));
        assertEquals("hello over TLS, the marker PLAINTEXT-SECRET-42\n", lines.next().get(10, TimeUnit.SECONDS));
        assertEquals(List.of("STARTTLS"), host.plaintextLines(), "the plaintext went out before the handshake");
        assertEquals(1, host.handshakes());

        final WarrenException twice = failure(socket.startTls());
        assertEquals(ErrorCode.REQUEST_INVALID, twice.code());
        assertTrue(twice.getMessage().contains("once"), twice.getMessage());

        socket.closeWrite().get(10, TimeUnit.SECONDS);
        lines.done.get(10, TimeUnit.SECONDS);
        socket.closed().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldDeliverPlaintextReceivedBeforeTheUpgradeAheadOfDecryptedBytes() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.STARTTLS);
        final TcpSocket socket = network.connect(host.address(), ConnectOptions.builder()
            .secureTransport(SecureTransport.STARTTLS).trustedCaFile(pki.caPem()).build());
        // No demand yet: the host's plaintext waits at the edge while the upgrade happens.
        final SocketReader reader = new SocketReader(true, 0);
        socket.readable().subscribe(reader);
        socket.write(ByteBuffer.wrap("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII)));
        Tunnels.await("the host answered STARTTLS", () -> host.plaintextLines().size() == 1, 10_000);
        // The host's "220 go ahead" is on its way; the edge must have it before startTls() runs. It was written
        // before the host's first TLS byte, which cannot come before our ClientHello, so wait for the stream to
        // hold both lines: 25 bytes of plaintext received and not yet requested.
        Tunnels.await("both plaintext lines at the edge", () -> edgeHeld() >= 25, 10_000);
        final CompletableFuture<TcpSocket> upgraded = socket.startTls();
        socket.write(ByteBuffer.wrap("after\n".getBytes(StandardCharsets.US_ASCII)));
        upgraded.get(10, TimeUnit.SECONDS);
        socket.closeWrite();
        reader.request(Long.MAX_VALUE);
        reader.done().get(10, TimeUnit.SECONDS);
        assertEquals("220 ready\r\n220 go ahead\r\nafter\n", new String(reader.keptBytes(), StandardCharsets.US_ASCII));
    }

    /** Bytes held for the one stream at the edge (received, not yet consumed), read on the edge's loops. */
    private long edgeHeld()
    {
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("unconsumed=(\\d+)")
            .matcher(((EdgeRuntime)edge).describeStreams());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    @Test
    void shouldRefuseStartTlsOnPlainAndOnTlsSockets() throws Exception
    {
        final EchoServer echo = new EchoServer();
        resources.add(echo);
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO);
        final TcpSocket plain = network.connect(echo.address());
        final WarrenException offRefused = failure(plain.startTls());
        assertEquals(ErrorCode.REQUEST_INVALID, offRefused.code());
        assertTrue(offRefused.getMessage().contains("STARTTLS") && offRefused.getMessage().contains("OFF"),
            offRefused.getMessage());
        plain.abort();

        final TcpSocket on = network.connect(host.address(), tls().build());
        on.opened().get(10, TimeUnit.SECONDS);
        assertEquals(ErrorCode.REQUEST_INVALID, failure(on.startTls()).code());
        on.abort();
    }

    @Test
    void shouldRefuseAWrongNameUnderVerifyFullButNotUnderVerifyCa() throws Exception
    {
        final TlsEchoServer host = host(other, TlsEchoServer.Mode.ECHO);
        final WarrenException refused = failure(network.connect(host.address(), tls().build()).opened());
        assertEquals(ErrorCode.TLS_ERROR, refused.code());
        final String message = refused.getMessage();
        assertTrue(message.contains("binding '" + Tunnels.NETWORK + "'") && message.contains(host.address()), message);
        assertTrue(message.contains("host name check"), message);

        final TcpSocket ca = network.connect(host.address(), tls().certVerification(CertVerification.VERIFY_CA).build());
        ca.opened().get(10, TimeUnit.SECONDS);
        ca.abort();

        final TcpSocket named = network.connect(host.address(), tls().expectedServerHostname("other.example").build());
        named.opened().get(10, TimeUnit.SECONDS);
        named.abort();
    }

    @Test
    void shouldRefuseAnUntrustedCaUnlessVerificationIsDisabled() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO);
        final ConnectOptions.Builder untrusted = ConnectOptions.builder().secureTransport(SecureTransport.ON);
        final WarrenException refused = failure(network.connect(host.address(), untrusted.build()).opened());
        assertEquals(ErrorCode.TLS_ERROR, refused.code());
        assertTrue(refused.getMessage().contains("chain not trusted"), refused.getMessage());

        final WarrenException ca = failure(network.connect(host.address(),
            untrusted.certVerification(CertVerification.VERIFY_CA).build()).opened());
        assertEquals(ErrorCode.TLS_ERROR, ca.code());

        final TcpSocket any = network.connect(host.address(),
            untrusted.certVerification(CertVerification.DISABLED).build());
        any.opened().get(10, TimeUnit.SECONDS);
        any.abort();

        final TlsEchoServer starttls = host(good, TlsEchoServer.Mode.STARTTLS);
        final TcpSocket socket = network.connect(starttls.address(),
            ConnectOptions.builder().secureTransport(SecureTransport.STARTTLS).build());
        final LineReader lines = new LineReader();
        socket.readable().subscribe(lines);
        lines.next().get(10, TimeUnit.SECONDS);
        socket.write(ByteBuffer.wrap("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII)));
        lines.next().get(10, TimeUnit.SECONDS);
        final WarrenException upgrade = failure(socket.startTls());
        assertEquals(ErrorCode.TLS_ERROR, upgrade.code());
        assertTrue(upgrade.getMessage().contains("chain not trusted"), upgrade.getMessage());
        assertEquals(ErrorCode.TLS_ERROR, failure(socket.closed()).code(), "the socket failed with it");
        Tunnels.await("the connector let go of every host connection", () -> connector.openStreams() == 0, 5_000);
    }

    @Test
    void shouldFailWithTlsErrorWhenTheHostDoesNotSpeakTls() throws Exception
    {
        final EchoServer echo = new EchoServer(); // echoes our ClientHello back
        resources.add(echo);
        final WarrenException echoed = failure(network.connect(echo.address(), tls().build()).opened());
        assertEquals(ErrorCode.TLS_ERROR, echoed.code());
        assertTrue(echoed.getMessage().contains(echo.address()), echoed.getMessage());

        final ServerSocket greeter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(greeter);
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        resources.add(() ->
        {
            for (final Socket socket : accepted)
            {
                socket.close();
            }
        });
        final Thread thread = new Thread(() ->
        {
            try
            {
                while (true)
                {
                    final Socket socket = greeter.accept();
                    accepted.add(socket);
                    socket.getOutputStream().write("220 plain smtp here\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            catch (final IOException ignore)
            {
                // closed
            }
        });
        thread.setDaemon(true);
        thread.start();
        final String address = "127.0.0.1:" + greeter.getLocalPort();
        assertEquals(ErrorCode.TLS_ERROR, failure(network.connect(address, tls().build()).opened()).code());

        final ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(silent);
        final long start = System.nanoTime();
        final WarrenException timedOut = failure(network.connect("127.0.0.1:" + silent.getLocalPort(),
            tls().connectTimeout(Duration.ofMillis(500)).build()).opened());
        assertEquals(ErrorCode.TLS_ERROR, timedOut.code());
        assertTrue(timedOut.getMessage().contains("did not complete within 500 ms"), timedOut.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        Tunnels.await("no stream left at the connector", () -> connector.openStreams() == 0, 5_000);
    }

    @Test
    void shouldEndASocketClosedDuringItsHandshake() throws Exception
    {
        final ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(silent);
        final TcpSocket socket = network.connect("127.0.0.1:" + silent.getLocalPort(), tls().build());
        Tunnels.await("the connector dialed the host", () -> connector.openStreams() == 1, 5_000);
        socket.close();
        socket.closed().get(10, TimeUnit.SECONDS);
        assertEquals(ErrorCode.CONNECTION_TERMINATED, failure(socket.opened()).code());
        Tunnels.await("the stream is gone at the connector", () -> connector.openStreams() == 0, 5_000);
    }

    @Test
    void shouldStopCompletingWritesWhenTheTlsHostStopsReadingWithBoundedMemory() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.NO_READ);
        final TcpSocket socket = network.connect(host.address(), tls().build());
        socket.opened().get(10, TimeUnit.SECONDS);
        final ByteBuffer chunk = ByteBuffer.wrap(Payloads.random(3, 64 * 1024));
        CompletableFuture<Void> blocked = null;
        for (long written = 0; written < 256L * 1024 * 1024; written += chunk.capacity())
        {
            final CompletableFuture<Void> write = socket.write(chunk.duplicate());
            try
            {
                write.get(2, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                blocked = write;
                break;
            }
        }
        assertTrue(blocked != null, "writes never waited although the host reads nothing");
        final long[] fullest = connector.fullestStream();
        assertTrue(fullest[0] <= fullest[1] && fullest[1] <= TunnelStream.MAX_STREAM_WINDOW,
            "connector holds " + fullest[0] + " for a window of " + fullest[1]);
        final int edgeChunks = Tunnels.buffersInUse(((EdgeRuntime)edge).loops());
        assertTrue(edgeChunks <= 4, edgeChunks + " pooled chunks in use at the edge for a stalled TLS socket");
        final int connectorChunks = Tunnels.buffersInUse(connector.loops());
        assertTrue((long)connectorChunks * BufferPool.CHUNK_SIZE <= fullest[1] + 4L * BufferPool.CHUNK_SIZE,
            connectorChunks + " chunks at the connector");
        assertFalse(blocked.isDone());
        socket.abort();
        assertTrue(blocked.handle((v, e) -> e != null).get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldStopTheTlsHostWhenTheCallerStopsReadingAndResumeIntact() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO);
        final TcpSocket socket = network.connect(host.address(), tls().build());
        final SocketReader reader = new SocketReader(false, 0);
        socket.readable().subscribe(reader);
        final CompletableFuture<byte[]> written = Payloads.writeRandom(socket, 5, 64L * 1024 * 1024, 64 * 1024);
        // Nobody reads the echo: the host blocks writing, stops reading, and our writes stop completing.
        long echoed = -1;
        while (echoed != host.echoed())
        {
            echoed = host.echoed();
            try
            {
                written.get(2, TimeUnit.SECONDS);
                break;
            }
            catch (final TimeoutException stillWaiting)
            {
                // the host's progress is sampled again
            }
        }
        assertFalse(written.isDone(), "64 MiB went through although nobody read the echo");
        assertTrue(echoed < 32L * 1024 * 1024, "the host echoed " + echoed + " for a reader that reads nothing");
        assertTrue(Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) <= 4, "edge chunks stay few");
        reader.request(Long.MAX_VALUE);
        final byte[] sent = written.get(60, TimeUnit.SECONDS);
        reader.done().get(60, TimeUnit.SECONDS);
        assertArrayEquals(sent, reader.sha256());
    }

    @Test
    void shouldRelayOnlyCiphertextThroughTheConnector() throws Exception
    {
        final TlsEchoServer host = host(good, TlsEchoServer.Mode.ECHO);
        final Tap tap = new Tap(host.port());
        resources.add(tap);
        final byte[] marker = "PLAINTEXT-MARKER-7f3a9c PLAINTEXT-MARKER-7f3a9c".getBytes(StandardCharsets.US_ASCII);
        final TcpSocket socket = network.connect("127.0.0.1:" + tap.port(), tls().build());
        final SocketReader reader = SocketReader.keeping();
        socket.readable().subscribe(reader);
        socket.write(ByteBuffer.wrap(marker)).get(10, TimeUnit.SECONDS);
        socket.closeWrite().get(10, TimeUnit.SECONDS);
        reader.done().get(10, TimeUnit.SECONDS);
        assertArrayEquals(marker, reader.keptBytes(), "the caller reads the plaintext back");
        final byte[] wire = tap.seen();
        assertTrue(wire.length > marker.length * 2, "the tap saw the connection: " + wire.length + " bytes");
        assertFalse(contains(wire, "PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII)),
            "the connector relayed plaintext");
        assertEquals(0x16, wire[0] & 0xff, "the first byte the host's side saw opens a TLS handshake record");
    }

    private static boolean contains(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void assertPoolsReturnToZero()
    {
        Tunnels.await("edge and connector pools back to zero in use",
            () -> Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) == 0 &&
                Tunnels.buffersInUse(connector.loops()) == 0, 5_000);
    }

    /** Reads CRLF/LF-terminated lines, requesting one buffer at a time; {@link #next()} takes the next line. */
    private static final class LineReader implements java.util.concurrent.Flow.Subscriber<ByteBuffer>
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private java.util.concurrent.Flow.Subscription subscription;

        @Override
        public void onSubscribe(final java.util.concurrent.Flow.Subscription subscription)
        {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(final ByteBuffer item)
        {
            while (item.hasRemaining())
            {
                final byte b = item.get();
                partial.write(b);
                if (b == '\n')
                {
                    lines.add(partial.toString(StandardCharsets.US_ASCII));
                    partial.reset();
                }
            }
            subscription.request(1);
        }

        /** The next line, waited for on the test's thread. */
        CompletableFuture<String> next()
        {
            return CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    final String line = lines.poll(10, TimeUnit.SECONDS);
                    if (line == null)
                    {
                        throw new IllegalStateException("no line within 10 s" +
                            (done.isCompletedExceptionally() ? ": " + done.handle((v, e) -> e).join() : ""));
                    }
                    return line;
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
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
    }

    /** A plain TCP relay in front of the host that records every byte going to it: what the connector sends. */
    private static final class Tap implements AutoCloseable
    {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Tap(final int hostPort) throws IOException
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final Socket client = server.accept();
                        final Socket upstream = new Socket(InetAddress.getLoopbackAddress(), hostPort);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream, true);
                        pump(upstream, client, false);
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

        int port()
        {
            return server.getLocalPort();
        }

        synchronized byte[] seen()
        {
            return seen.toByteArray();
        }

        private void pump(final Socket from, final Socket to, final boolean record)
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    final InputStream in = from.getInputStream();
                    final OutputStream out = to.getOutputStream();
                    final byte[] block = new byte[16 * 1024];
                    int n;
                    while ((n = in.read(block)) >= 0)
                    {
                        if (record)
                        {
                            synchronized (this)
                            {
                                seen.write(block, 0, n);
                            }
                        }
                        out.write(block, 0, n);
                    }
                    to.shutdownOutput();
                }
                catch (final IOException ignore)
                {
                    // closed
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException
        {
            server.close();
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
    }
}
