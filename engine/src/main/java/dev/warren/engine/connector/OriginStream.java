package dev.warren.engine.connector;

import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.loop.ChunkQueue;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.net.HostPort;
import dev.warren.engine.tunnel.TunnelStream;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A tcp stream at the connector: checks the allow-list, dials the private host without blocking, and relays bytes
 * both ways on the tunnel connection's loop.
 * <p>
 * <b>Edge → host.</b> A DATA payload is written to the host's socket straight from the tunnel's read buffer; what
 * the socket does not take is copied to pooled chunks and written on {@code OP_WRITE}. Credit goes back only for
 * bytes the socket took, so what waits here never exceeds the stream's window.
 * <p>
 * <b>Host → edge.</b> The host's bytes are read straight into the tunnel's outbound chunk behind a DATA header.
 * With no credit (or a full tunnel) the stream stops reading the host ({@code OP_READ} off) until credit returns.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
final class OriginStream extends TunnelStream implements IoHandler
{
    private static final int MAX_READS_PER_EVENT = 16;
    private static final int RESOLVING = 0;
    private static final int CONNECTING = 1;
    private static final int CONNECTED = 2;
    private static final int CLOSED = 3;

    private final ConnectorTunnelConnection tunnel;
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int requestedTimeoutMs;
    private final ChunkQueue pending = new ChunkQueue();

    private SocketChannel socket;
    private SelectionKey key;
    private int state = RESOLVING;
    private long connectTimer = -1;
    private boolean readEof;

    OriginStream(final ConnectorTunnelConnection tunnel, final String host, final int port, final int requestedTimeoutMs)
    {
        super(tunnel);
        this.tunnel = tunnel;
        this.loop = tunnel.loop();
        this.host = host;
        this.port = port;
        this.requestedTimeoutMs = requestedTimeoutMs;
    }

    private String destination()
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    void begin()
    {
        final AllowList allow = tunnel.runtime.allowList;
        if (HostPort.checkHost(host) != null)
        {
            fail(WireCode.REQUEST_INVALID, "invalid host '" + host + "'");
            return;
        }
        if (HostPort.isIpv4Literal(host) || HostPort.isIpv6Literal(host))
        {
            final InetAddress address = HostPort.literalAddress(host);
            if (!allow.permitsAddress(address, port))
            {
                fail(WireCode.DESTINATION_NOT_ALLOWED, destination() + " is not in the connector's allow-list");
                return;
            }
            dial(address);
            return;
        }
        final boolean byName = allow.permitsName(host, port);
        if (!byName && !allow.hasRangesFor(port))
        {
            fail(WireCode.DESTINATION_NOT_ALLOWED, destination() + " is not in the connector's allow-list");
            return;
        }
        tunnel.runtime.resolver.execute(() ->
        {
            try
            {
                final InetAddress[] addresses = InetAddress.getAllByName(host);
                loop.execute(() -> onResolved(addresses, byName));
            }
            catch (final UnknownHostException ex)
            {
                loop.execute(() -> fail(WireCode.DNS_ERROR, "cannot resolve '" + host + "'"));
            }
        });
    }

    private void onResolved(final InetAddress[] addresses, final boolean byName)
    {
        if (isEnded())
        {
            return;
        }
        for (final InetAddress address : addresses)
        {
            if (byName || tunnel.runtime.allowList.permitsAddress(address, port))
            {
                dial(address);
                return;
            }
        }
        fail(WireCode.DESTINATION_NOT_ALLOWED, destination() + " resolves to " + addresses[0].getHostAddress() +
            ", which is not in the connector's allow-list");
    }

    private void dial(final InetAddress address)
    {
        try
        {
            socket = SocketChannel.open();
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final boolean connected = socket.connect(new InetSocketAddress(address, port));
            state = CONNECTING;
            key = loop.register(socket, connected ? 0 : SelectionKey.OP_CONNECT, this);
            if (connected)
            {
                onConnected();
                return;
            }
        }
        catch (final IOException ex)
        {
            fail(WireCode.CONNECTION_REFUSED, "cannot connect to " + destination() + ": " + ex.getMessage());
            return;
        }
        final long configured = tunnel.runtime.config.connectTimeout().toMillis();
        final long timeoutMs = requestedTimeoutMs > 0 ? Math.min(requestedTimeoutMs, configured) : configured;
        connectTimer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(timeoutMs), () ->
        {
            connectTimer = -1;
            if (state == CONNECTING)
            {
                fail(WireCode.CONNECTION_TIMEOUT, destination() + " did not answer within " + timeoutMs + " ms");
            }
        });
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (state == CONNECTING)
        {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0)
            {
                try
                {
                    if (!socket.finishConnect())
                    {
                        return;
                    }
                }
                catch (final ConnectException ex)
                {
                    fail(WireCode.CONNECTION_REFUSED, destination() + " refused the connection");
                    return;
                }
                catch (final IOException ex)
                {
                    fail(WireCode.CONNECTION_REFUSED, "cannot connect to " + destination() + ": " + ex.getMessage());
                    return;
                }
                onConnected();
            }
            return;
        }
        if (state != CONNECTED)
        {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0)
        {
            writePending();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == CONNECTED)
        {
            readOrigin();
        }
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    private void onConnected()
    {
        loop.cancel(connectTimer);
        connectTimer = -1;
        state = CONNECTED;
        String remote;
        String local;
        try
        {
            remote = addressText((InetSocketAddress)socket.getRemoteAddress());
            local = addressText((InetSocketAddress)socket.getLocalAddress());
        }
        catch (final IOException ex)
        {
            remote = destination();
            local = "?";
        }
        tunnel.sendOpenAck(id(), remote, local);
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

    private static String addressText(final InetSocketAddress address)
    {
        final String ip = address.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    // ---- edge -> host ------------------------------------------------------------------------------------------

    @Override
    protected void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (state != CONNECTED || !pending.isEmpty())
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
            originFailed(ex);
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
        final BufferPool pool = loop.bufferPool();
        int at = offset;
        int remaining = length;
        while (remaining > 0)
        {
            PooledBuffer tail = pending.peekLast();
            if (tail == null || tail.room() == 0)
            {
                tail = pool.acquire();
                pending.addLast(tail);
            }
            final ByteBuffer bytes = tail.byteBuffer();
            final int n = Math.min(tail.room(), remaining);
            tail.view().putBytes(bytes.limit(), buffer, at, n);
            bytes.limit(bytes.limit() + n);
            at += n;
            remaining -= n;
        }
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
                originFailed(ex);
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
    protected void onRemoteFin()
    {
        if (state == CONNECTED && pending.isEmpty())
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
            // the host is gone; its read side will tell
        }
    }

    // ---- host -> edge ------------------------------------------------------------------------------------------

    private void readOrigin()
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
                originFailed(ex);
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
    protected void onSendCredit()
    {
        if (state == CONNECTED && !readEof && !isEnded())
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    // ---- endings -----------------------------------------------------------------------------------------------

    @Override
    protected void onBothFinished()
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

    private void originFailed(final IOException ex)
    {
        fail(WireCode.CONNECTION_TERMINATED, "connection to " + destination() + " failed: " + ex.getMessage());
    }

    private void fail(final int code, final String message)
    {
        sendReset(code, message);
        closeSocket(true);
    }

    @Override
    protected void onReset(final int code, final String message)
    {
        closeSocket(true);
    }

    @Override
    protected void onTerminated(final int code, final String message)
    {
        closeSocket(true);
    }

    private void closeSocket(final boolean abortive)
    {
        if (state == CLOSED)
        {
            return;
        }
        state = CLOSED;
        loop.cancel(connectTimer);
        connectTimer = -1;
        pending.clear();
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
}
