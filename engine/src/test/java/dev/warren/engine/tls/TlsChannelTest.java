package dev.warren.engine.tls;

import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TlsChannel} on its own, driven by a selector as an event loop drives it, against the JDK's blocking
 * {@link SSLSocket}: handshake, a megabyte each way read back through a 7-byte buffer (so decrypted bytes wait
 * inside the channel with no socket readiness), and both ways of ending.
 */
class TlsChannelTest
{
    private static TestPki pki;
    private static SSLContext server;
    private static SSLContext client;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        pki = TestPki.create("TlsChannel Test CA");
        server = TestPki.serverContext(pki.server("localhost", "dns:localhost,ip:127.0.0.1"));
        final KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(pki.caPem()))
        {
            anchors.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
    }

    /** A blocking TLS server that echoes everything until the client closes, then closes itself. */
    private static SSLServerSocket echoServer(final String protocol, final CompletableFuture<Long> echoed)
        throws IOException
    {
        final SSLServerSocket listener = (SSLServerSocket)server.getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {protocol});
        final Thread thread = new Thread(() ->
        {
            try (SSLSocket socket = (SSLSocket)listener.accept())
            {
                final byte[] block = new byte[8192];
                long total = 0;
                int n;
                while ((n = socket.getInputStream().read(block)) >= 0)
                {
                    socket.getOutputStream().write(block, 0, n);
                    total += n;
                }
                echoed.complete(total);
            }
            catch (final IOException ex)
            {
                echoed.completeExceptionally(ex);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return listener;
    }

    private static TlsChannel connect(final SSLServerSocket listener, final Selector selector, final String name)
        throws IOException
    {
        final SocketChannel socket = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            listener.getLocalPort()));
        socket.configureBlocking(false);
        final SSLEngine engine = client.createSSLEngine(name, listener.getLocalPort());
        engine.setUseClientMode(true);
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        final TlsChannel tls = new TlsChannel(socket, engine);
        final SelectionKey key = socket.register(selector, 0);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int interest;
        while ((interest = tls.handshake()) != 0)
        {
            key.interestOps(interest);
            selector.select(100);
            selector.selectedKeys().clear();
            assertTrue(System.nanoTime() < deadline, "handshake within 10 s");
        }
        key.interestOps(0);
        return tls;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void shouldCarryAMebibyteEachWayThroughTinyReads(final String protocol) throws Exception
    {
        final CompletableFuture<Long> echoed = new CompletableFuture<>();
        try (SSLServerSocket listener = echoServer(protocol, echoed); Selector selector = Selector.open())
        {
            final TlsChannel tls = connect(listener, selector, "localhost");
            assertTrue(tls.isHandshakeDone());
            assertEquals(protocol, tls.engine().getSession().getProtocol());
            final SelectionKey key = selector.keys().iterator().next();

            final byte[] payload = Payloads.random(42, 1024 * 1024 + 17);
            final ByteBuffer out = ByteBuffer.wrap(payload);
            final ByteBuffer tiny = ByteBuffer.allocate(7);
            final ByteArrayOutputStream in = new ByteArrayOutputStream();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (in.size() < payload.length)
            {
                if (out.hasRemaining() || tls.hasPendingOutput())
                {
                    tls.write(out);
                    tls.flush();
                }
                int n;
                while ((n = tls.read(tiny.clear())) > 0)
                {
                    in.write(tiny.array(), 0, n);
                }
                assertTrue(n == 0, "no end of stream before the echo is complete");
                if (!tls.hasBufferedInput() || tls.hasPendingOutput())
                {
                    key.interestOps(SelectionKey.OP_READ | (out.hasRemaining() || tls.hasPendingOutput() ?
                        SelectionKey.OP_WRITE : 0));
                    selector.select(100);
                    selector.selectedKeys().clear();
                }
                assertTrue(System.nanoTime() < deadline, "echo within 30 s: " + in.size());
            }
            assertArrayEquals(payload, in.toByteArray());

            tls.closeOutbound(); // close_notify: the server's read ends, it closes, and so does our read
            assertEquals(payload.length, echoed.get(10, TimeUnit.SECONDS));
            int n = 0;
            while (System.nanoTime() < deadline && (n = tls.read(tiny.clear())) == 0)
            {
                selector.select(100);
                selector.selectedKeys().clear();
            }
            assertEquals(-1, n);
            tls.close();
        }
    }

    @Test
    void shouldRefuseACertificateForAnotherName() throws Exception
    {
        final CompletableFuture<Long> echoed = new CompletableFuture<>();
        try (SSLServerSocket listener = echoServer("TLSv1.3", echoed); Selector selector = Selector.open())
        {
            final SSLException refused = assertThrows(SSLException.class,
                () -> connect(listener, selector, "other.example"));
            assertTrue(refused.getMessage().contains("other.example"), refused.getMessage());
        }
    }
}
