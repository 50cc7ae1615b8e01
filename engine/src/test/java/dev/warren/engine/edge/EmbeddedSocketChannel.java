package dev.warren.engine.edge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;

/**
 * An in-memory {@link SocketChannel} for driving a tunnel connection without a network: the test queues the bytes
 * the peer "sent" ({@link #feed}), the connection {@link #read reads} them, and whatever the connection writes
 * (gathering writes included) is captured for the test to {@link #takeWritten() take} and decode.
 * <p>
 * <b>Why it exists.</b> The hostile-frame properties push more than 100,000 generated sequences through the real
 * {@code EdgeTunnelConnection} state machine on every CI run. Doing that over real loopback sockets would cost one
 * TCP connection per try: the closed ones linger in {@code TIME_WAIT} and 100,000 of them exhaust the ephemeral
 * port range (about 28,000 ports on Linux) long before the run ends, and the handshake round trips would take
 * minutes. Over this channel a try costs microseconds and is fully deterministic: each byte arrives exactly where
 * the generator split it. Real-socket coverage of the same promise (one hostile connection closed, the others
 * served, pools back to their start) is {@code dev.warren.engine.HostileConnectionsTest}.
 * <p>
 * <b>Semantics.</b> Behaves as a connected, non-blocking socket:
 * <ul>
 *     <li>{@link #read} returns the queued bytes (as many as fit), 0 when none are queued, -1 once the test
 *     {@link #feedEof() ended the input} and everything queued has been read;</li>
 *     <li>{@link #write} takes everything, or, with a {@link #sendBufferCapacity(int) send-buffer capacity}, only
 *     what fits in the room the test has not yet {@link #takeWritten() taken} (a partial write, or 0 when full):
 *     a peer that reads slowly;</li>
 *     <li>{@link #close()} works as on any channel: later reads and writes throw {@link ClosedChannelException}.</li>
 * </ul>
 * It is never registered with a selector: the connection is started with {@code startUnregistered()} and the test
 * calls {@code onReady} itself.
 * <p>
 * Not thread-safe: used by one thread at a time (the connection's event loop, inside a submitted task).
 */
final class EmbeddedSocketChannel extends SocketChannel
{
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 7000);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.2", 40000);

    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private int inboundOffset;
    private long inboundQueued;
    private boolean inputEnded;
    private boolean outputShut;

    private byte[] written = new byte[256];
    private int writtenLength;
    private int sendBufferCapacity = Integer.MAX_VALUE;

    EmbeddedSocketChannel()
    {
        super(SelectorProvider.provider());
    }

    // ---- the test's side ---------------------------------------------------------------------------------------

    /** Queues bytes as if the peer sent them. */
    EmbeddedSocketChannel feed(final byte[] bytes)
    {
        return feed(bytes, 0, bytes.length);
    }

    EmbeddedSocketChannel feed(final byte[] bytes, final int offset, final int length)
    {
        if (length > 0)
        {
            inbound.addLast(Arrays.copyOfRange(bytes, offset, offset + length));
            inboundQueued += length;
        }
        return this;
    }

    /** The peer shut its output: once the queued bytes are read, {@link #read} returns -1. */
    EmbeddedSocketChannel feedEof()
    {
        inputEnded = true;
        return this;
    }

    /** Bytes fed and not yet read by the connection. */
    long inboundQueued()
    {
        return inboundQueued;
    }

    /**
     * Simulates the socket's send buffer: writes take at most this many bytes beyond what the test has taken so
     * far. {@link Integer#MAX_VALUE} (the default) means writes always complete.
     */
    EmbeddedSocketChannel sendBufferCapacity(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.sendBufferCapacity = capacity;
        return this;
    }

    /** Everything written since the last call, and frees that much send-buffer room. */
    byte[] takeWritten()
    {
        final byte[] taken = Arrays.copyOf(written, writtenLength);
        writtenLength = 0;
        return taken;
    }

    /** Bytes written and not yet taken. */
    int untaken()
    {
        return writtenLength;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        ensureOpen();
        if (inbound.isEmpty())
        {
            return inputEnded ? -1 : 0;
        }
        int read = 0;
        while (dst.hasRemaining() && !inbound.isEmpty())
        {
            final byte[] head = inbound.peekFirst();
            final int length = Math.min(dst.remaining(), head.length - inboundOffset);
            dst.put(head, inboundOffset, length);
            inboundOffset += length;
            read += length;
            if (inboundOffset == head.length)
            {
                inbound.pollFirst();
                inboundOffset = 0;
            }
        }
        inboundQueued -= read;
        return read;
    }

    @Override
    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
    {
        ensureOpen();
        if (inbound.isEmpty())
        {
            return inputEnded ? -1 : 0;
        }
        long read = 0;
        for (int i = offset; i < offset + length; i++)
        {
            final int n = read(dsts[i]);
            if (n <= 0)
            {
                break;
            }
            read += n;
        }
        return read;
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        ensureOpen();
        if (outputShut)
        {
            throw new IOException("output shut down");
        }
        return capture(src, room());
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        ensureOpen();
        if (outputShut)
        {
            throw new IOException("output shut down");
        }
        long total = 0;
        for (int i = offset; i < offset + length; i++)
        {
            final int room = room();
            if (room == 0)
            {
                break;
            }
            total += capture(srcs[i], room);
        }
        return total;
    }

    private int room()
    {
        if (sendBufferCapacity == Integer.MAX_VALUE)
        {
            return Integer.MAX_VALUE;
        }
        return Math.max(0, sendBufferCapacity - untaken());
    }

    private int capture(final ByteBuffer src, final int room)
    {
        final int length = Math.min(src.remaining(), room);
        if (length == 0)
        {
            return 0;
        }
        if (writtenLength + length > written.length)
        {
            written = Arrays.copyOf(written, Math.max(written.length * 2, writtenLength + length));
        }
        src.get(written, writtenLength, length);
        writtenLength += length;
        return length;
    }

    private void ensureOpen() throws ClosedChannelException
    {
        if (!isOpen())
        {
            throw new ClosedChannelException();
        }
    }

    // ---- the rest of SocketChannel: a connected socket that needs no network ------------------------------------

    @Override
    public SocketChannel bind(final SocketAddress local)
    {
        throw new UnsupportedOperationException("an embedded channel is connected already");
    }

    @Override
    public <T> SocketChannel setOption(final SocketOption<T> name, final T value)
    {
        return this;
    }

    @Override
    public <T> T getOption(final SocketOption<T> name)
    {
        return null;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions()
    {
        return Set.of();
    }

    @Override
    public SocketChannel shutdownInput()
    {
        inbound.clear();
        inboundQueued = 0;
        inputEnded = true;
        return this;
    }

    @Override
    public SocketChannel shutdownOutput()
    {
        outputShut = true;
        return this;
    }

    @Override
    public Socket socket()
    {
        throw new UnsupportedOperationException("an embedded channel has no socket");
    }

    @Override
    public boolean isConnected()
    {
        return isOpen();
    }

    @Override
    public boolean isConnectionPending()
    {
        return false;
    }

    @Override
    public boolean connect(final SocketAddress remote)
    {
        throw new UnsupportedOperationException("an embedded channel is connected already");
    }

    @Override
    public boolean finishConnect()
    {
        return true;
    }

    @Override
    public SocketAddress getRemoteAddress()
    {
        return REMOTE;
    }

    @Override
    public SocketAddress getLocalAddress()
    {
        return LOCAL;
    }

    @Override
    protected void implCloseSelectableChannel()
    {
        inbound.clear();
        inboundQueued = 0;
    }

    @Override
    protected void implConfigureBlocking(final boolean block)
    {
        // the channel never blocks
    }
}
