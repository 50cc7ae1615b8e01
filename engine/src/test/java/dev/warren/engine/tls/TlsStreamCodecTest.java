package dev.warren.engine.tls;

import dev.warren.api.CertVerification;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.TestPki;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TlsStreamCodec} on both ends of an in-memory byte stream (no sockets): ciphertext moves between a client and
 * a server codec in fragments of awkward sizes, so records arrive split and several at once.
 */
class TlsStreamCodecTest
{
    private static SSLContext serverContext;
    private static TlsClientContext client;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        final TestPki pki = TestPki.create("Codec Test CA");
        serverContext = TestPki.serverContext(pki.server("codec", "dns:localhost"));
        try (InputStream in = Files.newInputStream(pki.caPem()))
        {
            client = new TlsClientContext(List.of(
                (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in)));
        }
    }

    private static TlsStreamCodec server(final String... protocols)
    {
        final SSLEngine engine = serverContext.createSSLEngine();
        engine.setUseClientMode(false);
        if (protocols.length > 0)
        {
            engine.setEnabledProtocols(protocols);
        }
        return new TlsStreamCodec(engine);
    }

    /** Moves every pending ciphertext byte from {@code from} to {@code to}, {@code fragment} bytes at a time. */
    private static int move(final TlsStreamCodec from, final TlsStreamCodec to, final int fragment)
    {
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[64 * 1024]);
        int moved = 0;
        int n;
        while ((n = from.drainOutbound(wire, 0, fragment)) > 0)
        {
            to.receive(wire, 0, n);
            moved += n;
        }
        return moved;
    }

    private static void handshake(final TlsStreamCodec a, final TlsStreamCodec b, final int fragment) throws Exception
    {
        a.beginHandshake();
        b.beginHandshake();
        for (int round = 0; round < 100 && !(a.isHandshakeDone() && b.isHandshakeDone() &&
            a.pendingOutbound() == 0 && b.pendingOutbound() == 0); round++)
        {
            a.handshake();
            move(a, b, fragment);
            b.handshake();
            move(b, a, fragment);
        }
        assertTrue(a.isHandshakeDone() && b.isHandshakeDone(), "handshake did not complete");
    }

    /** Sends {@code data} from one codec to the other and returns what the other decrypted. */
    private static byte[] send(final TlsStreamCodec from, final TlsStreamCodec to, final byte[] data, final int fragment)
        throws Exception
    {
        final ByteBuffer src = ByteBuffer.wrap(data);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (src.hasRemaining() || from.pendingOutbound() > 0)
        {
            from.wrap(src);
            move(from, to, fragment);
            ByteBuffer plain;
            while ((plain = to.unwrap()) != null)
            {
                received.write(plain.array(), plain.position(), plain.remaining());
            }
        }
        return received.toByteArray();
    }

    @Test
    void shouldHandshakeAndCarryDataBothWaysInOddFragments() throws Exception
    {
        for (final int fragment : new int[] {1, 7, 1000, 64 * 1024})
        {
            final TlsStreamCodec c = new TlsStreamCodec(client.engine("localhost", 443, CertVerification.VERIFY_FULL));
            final TlsStreamCodec s = server();
            handshake(c, s, fragment);
            final byte[] up = Payloads.random(fragment, 100_000);
            assertArrayEquals(up, send(c, s, up, fragment), "client to server, fragments of " + fragment);
            final byte[] down = Payloads.random(fragment + 1, 70_001);
            assertArrayEquals(down, send(s, c, down, fragment), "server to client, fragments of " + fragment);
            assertEquals(0, c.heldInbound());
            assertTrue(c.takeConsumedInbound() > 70_001, "the client's consumed ciphertext is reported for credit");
            assertEquals(0, c.takeConsumedInbound());
        }
    }

    @Test
    void shouldHoldCiphertextUntilAskedAndReportItConsumedThen() throws Exception
    {
        final TlsStreamCodec c = new TlsStreamCodec(client.engine("localhost", 443, CertVerification.VERIFY_FULL));
        final TlsStreamCodec s = server("TLSv1.2");
        handshake(c, s, 5000);
        c.takeConsumedInbound();
        final ByteBuffer src = ByteBuffer.wrap(Payloads.random(3, 200_000));
        long moved = 0;
        while (src.hasRemaining())
        {
            s.wrap(src);
            moved += move(s, c, 64 * 1024);
        }
        assertEquals(moved, c.heldInbound(), "nothing decrypted before the reader asks");
        assertEquals(0, c.takeConsumedInbound());
        long plain = 0;
        ByteBuffer next;
        while ((next = c.unwrap()) != null)
        {
            plain += next.remaining();
        }
        assertEquals(200_000, plain);
        assertEquals(moved, c.takeConsumedInbound());
        assertEquals("TLSv1.2", c.engine().getSession().getProtocol());
    }

    @Test
    void shouldEndTheInboundSideOnClose_notify() throws Exception
    {
        final TlsStreamCodec c = new TlsStreamCodec(client.engine("localhost", 443, CertVerification.VERIFY_FULL));
        final TlsStreamCodec s = server();
        handshake(c, s, 100);
        assertArrayEquals(new byte[] {1, 2, 3}, send(s, c, new byte[] {1, 2, 3}, 100));
        s.closeOutbound();
        move(s, c, 100);
        assertNull(c.unwrap());
        assertTrue(c.isInboundDone());
    }

    @Test
    void shouldRefuseACertificateForAnotherName() throws Exception
    {
        final TlsStreamCodec c = new TlsStreamCodec(client.engine("other.example", 443, CertVerification.VERIFY_FULL));
        final TlsStreamCodec s = server();
        final SSLException refused = assertThrows(SSLException.class, () -> handshake(c, s, 1000));
        assertTrue(String.valueOf(refused.getCause()).contains("host name check"), String.valueOf(refused));
    }

    @Test
    void shouldFailOnBytesThatAreNotTls() throws Exception
    {
        final TlsStreamCodec c = new TlsStreamCodec(client.engine("localhost", 443, CertVerification.VERIFY_FULL));
        c.beginHandshake();
        c.handshake();
        final byte[] greeting = "220 smtp.example ESMTP ready\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        c.receive(new UnsafeBuffer(greeting), 0, greeting.length);
        assertThrows(SSLException.class, c::handshake);
    }
}
