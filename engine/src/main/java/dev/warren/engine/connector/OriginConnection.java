package dev.warren.engine.connector;

import dev.warren.engine.loop.IoHandler;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A keep-alive connection to a private HTTP host, owned by its loop's {@link OriginPool}: in use by one
 * {@link HttpOriginStream} at a time, or idle in the pool. Its socket stays registered with the loop throughout;
 * while in use, readiness goes to the stream; while idle, any byte or end of stream from the host means the host
 * closed it (or broke HTTP by talking unasked), and the pool drops it.
 * <p>
 * Owned by one event loop; not thread-safe.
 */
final class OriginConnection implements IoHandler
{
    final OriginPool pool;
    final String poolKey;
    final SocketChannel socket;
    final String remote;
    final String local;
    SelectionKey key;
    /** The stream using the connection; null while idle. */
    HttpOriginStream user;
    long idleTimer = -1;
    /** Exchanges carried, this one included. */
    int exchanges;
    private boolean closed;

    OriginConnection(
        final OriginPool pool, final String poolKey, final SocketChannel socket, final SelectionKey key,
        final String remote, final String local)
    {
        this.pool = pool;
        this.poolKey = poolKey;
        this.socket = socket;
        this.key = key;
        this.remote = remote;
        this.local = local;
        key.attach(this);
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (closed)
        {
            return;
        }
        if (user != null)
        {
            user.onOriginReady(readyOps);
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0)
        {
            final ByteBuffer probe = pool.probe();
            probe.clear();
            String why;
            try
            {
                why = socket.read(probe) < 0 ? "closed by the host" : "the host sent bytes nobody asked for";
            }
            catch (final IOException ex)
            {
                why = ex.getMessage();
            }
            pool.drop(this, why);
        }
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    /** Closes the socket, with RST when {@code abortive}. Idempotent; the pool must no longer hold it. */
    void close(final boolean abortive)
    {
        if (closed)
        {
            return;
        }
        closed = true;
        user = null;
        key.cancel();
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
        pool.closed(this);
    }
}
