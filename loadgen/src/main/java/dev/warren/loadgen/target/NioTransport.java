package dev.warren.loadgen.target;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.Flushable;
import dev.warren.engine.loop.IoHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Predicate;

/**
 * One non-blocking TCP connection registered with an engine {@link EventLoop}: connect, write with
 * {@code OP_WRITE} only while a write is unfinished, read everything that is ready into the loop's scratch buffer.
 * <p>
 * With {@code deferWrites} ({@code loadgen http}), {@link #send} only queues the bytes and the write happens in
 * {@link #flush()} at the end of the loop's cycle, as wrk writes its next requests on the next pass: the requests
 * that responses read in one pass over the ready keys make due go out together, so the server wakes once for them
 * rather than once each.
 * <p>
 * What is read is handed, chunk by chunk, to a checker ({@link EchoVerifier#verify}, or an {@link HttpTransport}'s
 * response framing) before the handler hears of it.
 * <p>
 * <b>Threading.</b> Owned by its event loop; not thread-safe. Outcomes found inside a {@link Transport} call (a
 * connect that completes at once, a failed write) reach the handler through a command on the same loop, so the
 * handler is never re-entered. Allocates nothing per request.
 */
final class NioTransport implements Transport, IoHandler, Flushable
{
    private final EventLoop loop;
    private final InetSocketAddress address;
    private final TransportHandler handler;
    private final ByteBuffer scratch;
    private final Predicate<ByteBuffer> verifier;
    private final boolean deferWrites;
    private final Runnable deliverLater = this::deliverLater;

    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer pendingWrite;
    private boolean connected;
    /** A deferred write waits in {@link #pendingWrite} for {@link #flush()} at the end of the loop's cycle. */
    private boolean flushQueued;
    /** The channel is closed, by {@link #close()} or by a failure. */
    private boolean closed;
    /** The owner called {@link #close()}: nothing more may reach the handler. */
    private boolean closedByOwner;
    private boolean openedLater;
    private int failedKindLater = -1;
    private String failedDetailLater;

    NioTransport(
        final EventLoop loop, final InetSocketAddress address, final TransportHandler handler,
        final ByteBuffer scratch, final Predicate<ByteBuffer> verifier, final boolean deferWrites)
    {
        this.loop = loop;
        this.address = address;
        this.handler = handler;
        this.scratch = scratch;
        this.verifier = verifier;
        this.deferWrites = deferWrites;
    }

    @Override
    public void open()
    {
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address))
            {
                connected = true;
                key = loop.register(channel, SelectionKey.OP_READ, this);
                openedLater = true;
                loop.execute(deliverLater);
            }
            else
            {
                key = loop.register(channel, SelectionKey.OP_CONNECT, this);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failLater(ErrorKind.CONNECT, describe(ex));
        }
    }

    @Override
    public boolean send(final ByteBuffer data)
    {
        if (closed || !connected)
        {
            return false;
        }
        if (deferWrites)
        {
            pendingWrite = data;
            if (!flushQueued)
            {
                flushQueued = true;
                loop.flushLater(this);
            }
            return false;
        }
        try
        {
            channel.write(data);
        }
        catch (final IOException ex)
        {
            failLater(ErrorKind.RESET, describe(ex));
            return false;
        }
        if (!data.hasRemaining())
        {
            return true;
        }
        pendingWrite = data;
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return false;
    }

    /** The end of the loop's cycle: writes what {@link #send} deferred. */
    @Override
    public void flush()
    {
        flushQueued = false;
        final ByteBuffer data = pendingWrite;
        if (closed || data == null)
        {
            return;
        }
        try
        {
            channel.write(data);
        }
        catch (final IOException ex)
        {
            fail(ErrorKind.RESET, describe(ex));
            return;
        }
        if (data.hasRemaining())
        {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return;
        }
        pendingWrite = null;
        handler.onSent(System.nanoTime());
    }

    @Override
    public void close()
    {
        closedByOwner = true;
        release();
    }

    @Override
    public void abort()
    {
        if (!closed && channel != null && connected)
        {
            try
            {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close() then sends a reset
            }
            catch (final IOException ignore)
            {
                // closed by the peer already: a plain close will do
            }
        }
        close();
    }

    private void release()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        pendingWrite = null;
        if (key != null)
        {
            key.cancel();
        }
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (closed)
        {
            return;
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0)
        {
            finishConnect();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && pendingWrite != null)
        {
            continueWrite();
            if (closed)
            {
                return;
            }
        }
        if ((readyOps & SelectionKey.OP_READ) != 0)
        {
            read();
        }
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    private void finishConnect()
    {
        try
        {
            channel.finishConnect();
        }
        catch (final IOException ex)
        {
            fail(ErrorKind.CONNECT, describe(ex));
            return;
        }
        connected = true;
        key.interestOps(SelectionKey.OP_READ);
        handler.onOpened();
    }

    private void continueWrite()
    {
        final ByteBuffer data = pendingWrite;
        try
        {
            channel.write(data);
        }
        catch (final IOException ex)
        {
            fail(ErrorKind.RESET, describe(ex));
            return;
        }
        if (!data.hasRemaining())
        {
            pendingWrite = null;
            key.interestOps(SelectionKey.OP_READ);
            handler.onSent(System.nanoTime());
        }
    }

    private void read()
    {
        int total = 0;
        boolean mismatch = false;
        boolean finished = false;
        String failure = null;
        try
        {
            while (true)
            {
                scratch.clear();
                final int read = channel.read(scratch);
                if (read > 0)
                {
                    total += read;
                    if (verifier != null && !verifier.test(scratch.flip()))
                    {
                        mismatch = true;
                    }
                    if (read < scratch.capacity())
                    {
                        break; // drained: saves the read that would only say so
                    }
                }
                else
                {
                    finished = read < 0;
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            failure = describe(ex);
        }
        if (total > 0)
        {
            handler.onReceived(total, System.nanoTime(), mismatch);
            if (closed)
            {
                return;
            }
        }
        if (failure != null)
        {
            fail(ErrorKind.RESET, failure);
        }
        else if (finished)
        {
            handler.onClosed();
        }
    }

    private void fail(final int kind, final String detail)
    {
        release();
        handler.onFailed(kind, detail);
    }

    private void failLater(final int kind, final String detail)
    {
        release();
        failedKindLater = kind;
        failedDetailLater = detail;
        loop.execute(deliverLater);
    }

    /** Runs on the loop, after the {@link Transport} call that found the outcome has returned. */
    private void deliverLater()
    {
        if (closedByOwner)
        {
            return;
        }
        if (failedKindLater >= 0)
        {
            final int kind = failedKindLater;
            failedKindLater = -1;
            handler.onFailed(kind, failedDetailLater);
        }
        else if (openedLater && !closed)
        {
            openedLater = false;
            handler.onOpened();
        }
    }

    private String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        return (message == null ? ex.getClass().getSimpleName() : message) + " (" + address.getHostString() + ":" +
            address.getPort() + ")";
    }
}
