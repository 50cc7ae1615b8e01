package dev.warren.engine.connector;

import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;

/**
 * Keeps one tunnel connection to the edge up: dials, and after every loss redials after a full-jitter back-off
 * (the attempt count resets once a handshake succeeds). Owned by its event loop; {@link #isLive()} is readable
 * from any thread.
 */
final class TunnelDialer
{
    private static final System.Logger LOG = System.getLogger("dev.warren.connector");

    final ConnectorRuntime runtime;
    final EventLoop loop;
    final int index;
    private ConnectorTunnelConnection current;
    private int attempt;
    private long retryTimer = -1;
    private volatile boolean live;
    private boolean closed;
    private CompletableFuture<Void> drained;

    TunnelDialer(final ConnectorRuntime runtime, final EventLoop loop, final int index)
    {
        this.runtime = runtime;
        this.loop = loop;
        this.index = index;
    }

    /** Loop thread: the current connection, or null. */
    ConnectorTunnelConnection connection()
    {
        return current;
    }

    boolean isLive()
    {
        return live;
    }

    void dial()
    {
        retryTimer = -1;
        if (closed || runtime.isClosed())
        {
            return;
        }
        SocketChannel channel = null;
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(runtime.config.edge());
            current = new ConnectorTunnelConnection(this, loop, channel);
            current.begin();
        }
        catch (final IOException ex)
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // failed anyway
                }
            }
            lost("cannot dial the edge: " + ex.getMessage());
        }
    }

    void onEstablished()
    {
        attempt = 0;
        live = true;
    }

    /** The connection closed or never came up: redial after a back-off. */
    void lost(final String reason)
    {
        live = false;
        current = null;
        if (drained != null)
        {
            drained.complete(null);
            return;
        }
        if (closed || runtime.isClosed())
        {
            return;
        }
        final long delayNs = runtime.backoffNs(attempt);
        attempt = Math.min(attempt + 1, 30);
        LOG.log(INFO, () -> "tunnel connection " + index + " to " + runtime.config.edge() + " down (" + reason +
            "); redialing in " + TimeUnit.NANOSECONDS.toMillis(delayNs) + " ms");
        retryTimer = loop.schedule(delayNs, this::dial);
    }

    /** Loop thread. */
    int streamCount()
    {
        return current == null ? 0 : current.streamCount();
    }

    /** Loop thread. */
    String describeStreams()
    {
        return current == null ? "(no connection)\n" : current.describeStreams();
    }

    long[] fullestStream()
    {
        return current == null ? new long[]{0, 0} : current.fullestStream();
    }

    /** Loop thread. GO_AWAY on the current connection; no redial; force-close after {@code graceNs}. */
    CompletableFuture<Void> drain(final long graceNs)
    {
        if (drained != null)
        {
            return drained;
        }
        drained = new CompletableFuture<>();
        loop.cancel(retryTimer);
        retryTimer = -1;
        if (current == null)
        {
            drained.complete(null);
            return drained;
        }
        final ConnectorTunnelConnection connection = current;
        connection.goAway("connector shutting down");
        loop.schedule(graceNs, () ->
        {
            if (!connection.isClosed())
            {
                LOG.log(INFO, () -> "tunnel connection " + index + ": grace period over with " +
                    connection.streamCount() + " streams open; closing");
                connection.close(WireCode.NONE, "grace period over", true);
            }
        });
        return drained;
    }

    void close()
    {
        closed = true;
        loop.cancel(retryTimer);
        if (current != null)
        {
            current.close(WireCode.NONE, "connector shutting down", true);
        }
    }
}
