package dev.warren.engine.support;

import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.engine.support.HostileFrames.EdgeOutput;
import dev.warren.engine.support.HostileFrames.Frame;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A connector played by hand over a raw socket, optionally from a chosen local address (127.0.0.2, say): writes
 * bytes, reads and decodes the edge's frames, all with deadlines. Like the one in {@code HostileConnectionsTest},
 * plus the local address, a whole handshake and an "ended without a frame" check.
 */
public final class RawConnector implements AutoCloseable
{
    public static final long ANSWER_TIMEOUT_MS = 5_000;

    public final String what;
    public final EdgeOutput out = new EdgeOutput();
    /** All the bytes written so far, for a replay. */
    public final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private boolean eof;

    public RawConnector(final InetSocketAddress edge, final InetAddress local, final String what) throws IOException
    {
        this.what = what;
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (local != null)
        {
            channel.bind(new InetSocketAddress(local, 0));
        }
        channel.connect(edge);
        channel.configureBlocking(false);
        selector = Selector.open();
        key = channel.register(selector, SelectionKey.OP_READ);
    }

    public RawConnector(final InetSocketAddress edge, final String what) throws IOException
    {
        this(edge, null, what);
    }

    /**
     * HELLO for {@code tunnel} with {@code clientNonce}, then AUTH proven with {@code token} over the edge's
     * CHALLENGE. Returns the CHALLENGE; the caller awaits WELCOME or GO_AWAY.
     */
    public Frame handshake(final String tunnel, final byte[] token, final byte[] clientNonce) throws IOException
    {
        write(HostileFrames.hello(1, 1, tunnel, clientNonce));
        final Frame challenge = await(FrameHeader.TYPE_CHALLENGE);
        write(HostileFrames.auth(HandshakeProof.connectorProof(token, tunnel, clientNonce, challenge.bytes()),
            TunnelLimits.DEFAULTS));
        return challenge;
    }

    /** A whole handshake with the right token: the edge's WELCOME carries the edge's proof. */
    public Frame authenticate(final String tunnel, final String token, final byte[] clientNonce) throws IOException
    {
        final byte[] secret = token.getBytes(StandardCharsets.UTF_8);
        final Frame challenge = handshake(tunnel, secret, clientNonce);
        final Frame welcome = await(FrameHeader.TYPE_WELCOME);
        assertArrayEquals(HandshakeProof.edgeProof(secret, tunnel, challenge.bytes(), clientNonce), welcome.bytes(),
            what + ": the edge's proof");
        return welcome;
    }

    public void write(final byte[] bytes) throws IOException
    {
        written.writeBytes(bytes);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
        while (buffer.hasRemaining())
        {
            if (channel.write(buffer) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError(what + ": the edge stopped reading");
                }
                key.interestOps(SelectionKey.OP_WRITE);
                selector.select(10);
                selector.selectedKeys().clear();
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    /** The first frame of {@code type} the edge wrote, waiting for it. */
    public Frame await(final int type) throws IOException
    {
        readUntil(() -> out.first(type) != null, "a " + FrameHeader.typeName(type));
        final Frame frame = out.first(type);
        assertNotNull(frame, () -> what + ": the edge closed instead of sending " + FrameHeader.typeName(type) +
            ": " + out);
        return frame;
    }

    /** The first frame that matches {@code wanted}, waiting for it. */
    public Frame await(final java.util.function.Predicate<Frame> wanted, final String description) throws IOException
    {
        readUntil(() -> out.frames().stream().anyMatch(wanted), description);
        return out.frames().stream().filter(wanted).findFirst().orElseThrow(() -> new AssertionError(what +
            ": the edge closed instead of sending " + description + ": " + out));
    }

    /** The edge's last frame is GO_AWAY with {@code code}, and then it closes the connection. */
    public void assertGoAwayThenEof(final int code) throws IOException
    {
        readUntil(() -> false, "GO_AWAY then end of stream");
        assertNull(out.error(), () -> what + ": the edge wrote an undecodable frame: " + out);
        final Frame last = out.last();
        assertNotNull(last, () -> what + ": end of stream without a GO_AWAY");
        assertEquals(FrameHeader.TYPE_GO_AWAY, last.type(), () -> what + ": last frame: " + out);
        assertEquals(code, last.code(), () -> what + ": GO_AWAY code: " + out);
        assertEquals(0, out.incomplete(), () -> what + ": bytes after the GO_AWAY: " + out);
        assertEquals(1, out.count(FrameHeader.TYPE_GO_AWAY), () -> what + ": one GO_AWAY: " + out);
    }

    /** The edge closed the connection (or reset it) without writing a single frame. */
    public void assertClosedWithoutAFrame() throws IOException
    {
        try
        {
            readUntil(() -> false, "end of stream");
        }
        catch (final AssertionError ex)
        {
            if (!(ex.getCause() instanceof IOException))
            {
                throw ex;
            }
        }
        assertEquals(0, out.frames().size(), () -> what + ": frames before the close: " + out);
    }

    /** Reads until {@code done} or end of stream; fails after {@link #ANSWER_TIMEOUT_MS}. */
    private void readUntil(final BooleanSupplier done, final String waitingFor) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
        while (!eof && !done.getAsBoolean())
        {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0)
            {
                throw new AssertionError(what + ": no " + waitingFor + " within " + ANSWER_TIMEOUT_MS + " ms; got " +
                    out);
            }
            selector.select(left);
            selector.selectedKeys().clear();
            final int read;
            try
            {
                read = channel.read(readBuffer.clear());
            }
            catch (final IOException ex)
            {
                throw new AssertionError(what + ": the edge reset the connection instead of closing it (" +
                    ex.getMessage() + "); got " + out, ex);
            }
            if (read < 0)
            {
                eof = true;
            }
            else if (read > 0)
            {
                out.accept(readBuffer.array(), 0, read);
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        selector.close();
        channel.close();
    }
}
