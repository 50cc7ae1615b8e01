package dev.warren.engine.connector;

import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.tls.TlsChannel;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A keep-alive connection to a private HTTP host, owned by its loop's {@link OriginPool}: in use by one
 * {@link HttpOriginStream} at a time, or idle in the pool. Its socket stays registered with the loop throughout;
 * while in use, readiness goes to the stream; while idle, any byte or end of stream from the host means the host
 * closed it (or broke HTTP by talking unasked), and the pool drops it.
 * <p>
 * An {@code https} connection carries a {@link TlsChannel} whose handshake completed before the connection was first
 * used; the pool key of such a connection names the server name and the verification mode, so it is never used for
 * another. Closing it cleanly sends {@code close_notify}.
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
    /** The TLS layer for https; null for plaintext, where the socket is read and written directly. */
    final TlsChannel tls;
    SelectionKey key;
    /** The stream using the connection; null while idle. */
    HttpOriginStream user;
    long idleTimer = -1;
    /** In the pool, unused, since {@link #idleSinceNs}. */
    boolean idle;
    long idleSinceNs;
    /** The idle timer's task, made once: the timer is re-armed lazily, not per exchange ({@link OriginPool}). */
    final Runnable idleCheck;
    /** Exchanges carried, this one included. */
    int exchanges;
    private boolean closed;

    OriginConnection(
        final OriginPool pool, final String poolKey, final SocketChannel socket, final SelectionKey key,
        final String remote, final String local, final TlsChannel tls)
    {
        this.tls = tls;
        this.pool = pool;
        this.poolKey = poolKey;
        this.socket = socket;
        this.key = key;
        this.remote = remote;
        this.local = local;
        this.idleCheck = () -> pool.idleCheck(this);
        key.attach(this);
    }

    boolean isClosed()
    {
        return closed;
    }

    /** Reads plaintext: from the socket, or decrypted from the TLS layer. */
    int read(final ByteBuffer dst) throws IOException
    {
        return tls == null ? socket.read(dst) : tls.read(dst);
    }

    /** Writes plaintext: to the socket, or through the TLS layer (which may hold one encrypted record back). */
    int write(final ByteBuffer src) throws IOException
    {
        return tls == null ? socket.write(src) : tls.write(src);
    }

    /** Where gathering writes of plaintext go. */
    GatheringByteChannel output()
    {
        return tls == null ? socket : tls;
    }

    /** @return whether encrypted bytes still wait for the socket (keep {@code OP_WRITE}). */
    boolean hasPendingOutput()
    {
        return tls != null && tls.hasPendingOutput();
    }

    /** @return whether decrypted or undecrypted bytes wait in the TLS layer, readable without socket readiness. */
    boolean hasBufferedInput()
    {
        return tls != null && tls.hasBufferedInput();
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
                final int read = read(probe);
                if (read == 0)
                {
                    return; // a TLS record without data (a session ticket): still usable
                }
                why = read < 0 ? "closed by the host" : "the host sent bytes nobody asked for";
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
        if (tls != null && !abortive && socket.isConnected())
        {
            tls.closeOutbound();
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
        pool.closed(this);
    }
}
