package dev.warren.engine.tunnel;

import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.ChunkQueue;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.loop.PooledBuffer;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A stream relayed to a TCP socket on the same event loop as its tunnel connection: the private host's socket at
 * the connector, a front-door client's socket at the edge. Subclasses say how the socket comes to be; this class
 * moves the bytes.
 * <p>
 * <b>Tunnel → socket.</b> A DATA payload is written to the socket straight from the tunnel's read buffer; what the
 * socket does not take is copied to pooled chunks and written on {@code OP_WRITE}. Credit goes back only for bytes
 * the socket took, so what waits here never exceeds the stream's window.
 * <p>
 * <b>Socket → tunnel.</b> The socket's bytes are read straight into the tunnel's outbound chunk behind a DATA
 * header. With no credit (or a full tunnel) the stream stops reading the socket ({@code OP_READ} off) until credit
 * returns. End of stream from the socket becomes FIN; FIN from the tunnel becomes {@code shutdownOutput()} once
 * everything before it is written. When both directions are done the socket is closed; when the stream fails the
 * socket is reset ({@code SO_LINGER 0}), so the other program sees an error, never a clean end.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
public abstract class SocketRelayStream extends TunnelStream implements IoHandler
{
    private static final int MAX_READS_PER_EVENT = 16;

    protected final EventLoop loop;
    private final ChunkQueue pending = new ChunkQueue();
    protected SocketChannel socket;
    protected SelectionKey key;
    private boolean relaying;
    private boolean readEof;
    private boolean socketClosed;

    protected SocketRelayStream(final TunnelConnection connection)
    {
        super(connection);
        this.loop = connection.loop();
    }

    /** For messages: what this stream relays to, e.g. {@code 127.0.0.1:6379}. */
    protected abstract String describe();

    /** Readiness while the socket is not yet relaying (e.g. {@code OP_CONNECT}). */
    protected void onSetupReady(final int readyOps)
    {
    }

    /**
     * Starts relaying over {@code socket}, registered with this loop under {@code key} (this stream its handler):
     * reads are enabled and anything that arrived from the tunnel meanwhile is written.
     */
    protected final void startRelay(final SocketChannel socket, final SelectionKey key)
    {
        this.socket = socket;
        this.key = key;
        this.relaying = true;
        key.interestOps(SelectionKey.OP_READ);
        if (!pending.isEmpty())
        {
            writePending();
        }
        else if (isRemoteFinished())
        {
            shutdownOutput();
        }
    }

    protected final boolean isRelaying()
    {
        return relaying;
    }

    @Override
    public final void onReady(final int readyOps)
    {
        if (socketClosed)
        {
            return;
        }
        if (!relaying)
        {
            onSetupReady(readyOps);
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0)
        {
            writePending();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && relaying && !socketClosed)
        {
            readSocket();
        }
    }

    @Override
    public final void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    // ---- tunnel -> socket --------------------------------------------------------------------------------------

    @Override
    protected final void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!relaying || !pending.isEmpty())
        {
            appendPending(buffer, offset, length);
            return;
        }
        final int written;
        try
        {
            written = socket.write(payload(offset, length));
        }
        catch (final IOException ex)
        {
            socketFailed(ex);
            return;
        }
        if (written > 0)
        {
            consumed(written);
        }
        if (written < length)
        {
            appendPending(buffer, offset + written, length - written);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    private void appendPending(final DirectBuffer buffer, final int offset, final int length)
    {
        pending.append(loop.bufferPool(), buffer, offset, length);
    }

    private void writePending()
    {
        while (!pending.isEmpty())
        {
            final long written;
            try
            {
                written = pending.writeTo(socket);
            }
            catch (final IOException ex)
            {
                socketFailed(ex);
                return;
            }
            if (written == 0)
            {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                return;
            }
            consumed((int)written);
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        if (isRemoteFinished())
        {
            shutdownOutput();
            if (readEof)
            {
                closeAndFinish();
            }
        }
    }

    @Override
    protected final void onRemoteFin()
    {
        if (relaying && pending.isEmpty())
        {
            shutdownOutput();
        }
    }

    private void shutdownOutput()
    {
        try
        {
            socket.shutdownOutput();
        }
        catch (final IOException ignore)
        {
            // the peer is gone; the read side will tell
        }
    }

    // ---- socket -> tunnel --------------------------------------------------------------------------------------

    private void readSocket()
    {
        for (int i = 0; i < MAX_READS_PER_EVENT; i++)
        {
            final int sendable = sendable();
            if (sendable == 0)
            {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                stall();
                return;
            }
            final PooledBuffer chunk = claimData(sendable);
            final int room = Math.min(sendable, dataRoom(chunk));
            final int at = chunk.byteBuffer().limit() + FrameHeader.LENGTH;
            final ByteBuffer fill = chunk.fillBuffer();
            fill.limit(at + room).position(at);
            final int read;
            try
            {
                read = socket.read(fill);
            }
            catch (final IOException ex)
            {
                commitData(chunk, 0, false);
                socketFailed(ex);
                return;
            }
            if (read > 0)
            {
                commitData(chunk, read, false);
                if (read < room)
                {
                    return;
                }
                continue;
            }
            commitData(chunk, 0, false);
            if (read < 0)
            {
                readEof = true;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                sendFin();
            }
            return;
        }
    }

    @Override
    protected final void onSendCredit()
    {
        if (relaying && !readEof && !isEnded() && !socketClosed)
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    // ---- endings -----------------------------------------------------------------------------------------------

    @Override
    protected final void onBothFinished()
    {
        if (pending.isEmpty())
        {
            closeAndFinish();
        }
    }

    private void closeAndFinish()
    {
        closeSocket(false);
        finish();
    }

    private void socketFailed(final IOException ex)
    {
        fail(WireCode.CONNECTION_TERMINATED, "connection to " + describe() + " failed: " + ex.getMessage());
    }

    /** Resets the stream with {@code code} and the socket with RST. */
    protected final void fail(final int code, final String message)
    {
        sendReset(code, message);
        closeSocket(true);
        onFailed(code, message);
    }

    @Override
    protected final void onReset(final int code, final String message)
    {
        closeSocket(true);
        onFailed(code, message);
    }

    @Override
    protected final void onTerminated(final int code, final String message)
    {
        closeSocket(true);
        onFailed(code, message);
    }

    /** Hook: the stream failed (reset either way, or its tunnel connection died); the socket is already reset. */
    protected void onFailed(final int code, final String message)
    {
    }

    /** Closes the socket, with RST when {@code abortive}, and releases what was pending for it. Idempotent. */
    protected final void closeSocket(final boolean abortive)
    {
        if (socketClosed)
        {
            return;
        }
        socketClosed = true;
        relaying = false;
        pending.clear();
        onSocketClosing();
        if (socket == null)
        {
            return;
        }
        if (key != null)
        {
            key.cancel();
        }
        try
        {
            if (abortive && socket.isConnected())
            {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            socket.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    /** Hook: the socket is about to close (cancel set-up timers). */
    protected void onSocketClosing()
    {
    }

    /** {@code ip:port}, IPv6 in brackets. */
    protected static String addressText(final InetSocketAddress address)
    {
        final String ip = address.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }
}
