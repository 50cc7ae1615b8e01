package dev.warren.loadgen.target;

import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.engine.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One tunnel stream from a binding's {@code connect()}, seen by a connection that lives on one of the load's event
 * loops.
 * <p>
 * <b>Threading.</b> Two sides. The loop side ({@link Transport} methods, and the commands that call the handler) runs
 * on the connection's loop. The socket side (the {@code opened} and {@code write} futures and the readable
 * subscriber) runs on an engine event loop of the edge; it does only what cannot wait: it timestamps, checks the
 * echoed bytes against the payload (the buffer is the engine's and only lent for {@code onNext}), and hands each
 * outcome to the connection's loop with {@link EventLoop#execute} through a preallocated command. Bytes that arrive
 * while that command is queued are added to it rather than queued again, so a busy stream costs one command per
 * loop cycle, not one per chunk. Commands from one engine thread run in the order they were offered, so bytes are
 * handed over before the end of the stream that followed them.
 */
final class TunnelTransport implements Transport, Flow.Subscriber<ByteBuffer>
{
    private final EventLoop loop;
    private final Supplier<TcpSocket> opener;
    private final TransportHandler handler;
    private final EchoVerifier verifier;

    private final Runnable deliverOpened = this::deliverOpened;
    private final Runnable deliverReceived = this::deliverReceived;
    private final Runnable deliverSent = this::deliverSent;
    private final Runnable deliverClosed = this::deliverClosed;
    private final Runnable deliverFailed = this::deliverFailed;
    private final BiConsumer<SocketInfo, Throwable> onOpened = this::onOpened;
    private final BiConsumer<Void, Throwable> onWritten = this::onWritten;

    /** Bytes received and not yet handed to the loop; the command is queued while this is not zero. */
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile long lastArrivalNs;
    private volatile boolean mismatch;
    private volatile long sentAtNs;
    private volatile int failedKind = -1;
    private volatile String failedDetail;

    // The loop side.
    private TcpSocket socket;
    private boolean closed;
    private boolean failed;

    TunnelTransport(
        final EventLoop loop, final Supplier<TcpSocket> opener, final TransportHandler handler,
        final EchoVerifier verifier)
    {
        this.loop = loop;
        this.opener = opener;
        this.handler = handler;
        this.verifier = verifier;
    }

    @Override
    public void open()
    {
        try
        {
            socket = opener.get();
        }
        catch (final RuntimeException ex)
        {
            reportFailure(ex);
            return;
        }
        socket.opened().whenComplete(onOpened);
        socket.readable().subscribe(this);
    }

    @Override
    public boolean send(final ByteBuffer data)
    {
        if (!closed && socket != null)
        {
            socket.write(data).whenComplete(onWritten);
        }
        return false;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (socket != null)
            {
                socket.close();
            }
        }
    }

    @Override
    public void abort()
    {
        if (!closed)
        {
            closed = true;
            if (socket != null)
            {
                socket.abort();
            }
        }
    }

    // The socket side: engine threads.

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        // Bytes are consumed as they arrive, so unbounded demand holds no more than one chunk at a time.
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final ByteBuffer data)
    {
        final int bytes = data.remaining();
        if (verifier != null && !verifier.verify(data))
        {
            mismatch = true;
        }
        lastArrivalNs = System.nanoTime();
        if (pendingBytes.getAndAdd(bytes) == 0)
        {
            loop.execute(deliverReceived);
        }
    }

    @Override
    public void onError(final Throwable error)
    {
        reportFailure(error);
    }

    @Override
    public void onComplete()
    {
        loop.execute(deliverClosed);
    }

    private void onOpened(final SocketInfo info, final Throwable error)
    {
        if (error != null)
        {
            reportFailure(error);
        }
        else
        {
            loop.execute(deliverOpened);
        }
    }

    private void onWritten(final Void ignored, final Throwable error)
    {
        if (error != null)
        {
            reportFailure(error);
        }
        else
        {
            sentAtNs = System.nanoTime();
            loop.execute(deliverSent);
        }
    }

    private void reportFailure(final Throwable error)
    {
        final Throwable cause = error instanceof CompletionException && error.getCause() != null ?
            error.getCause() : error;
        final int kind = cause instanceof WarrenException ?
            ErrorKind.of(((WarrenException)cause).code()) : ErrorKind.RESET;
        failedDetail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        failedKind = kind;
        loop.execute(deliverFailed);
    }

    // The loop side: commands.

    private void deliverOpened()
    {
        if (!closed && !failed)
        {
            handler.onOpened();
        }
    }

    private void deliverReceived()
    {
        final long bytes = pendingBytes.getAndSet(0);
        if (!closed && !failed && bytes > 0)
        {
            handler.onReceived((int)Math.min(Integer.MAX_VALUE, bytes), lastArrivalNs, mismatch);
        }
    }

    private void deliverSent()
    {
        if (!closed && !failed)
        {
            handler.onSent(sentAtNs);
        }
    }

    private void deliverClosed()
    {
        if (!closed && !failed)
        {
            handler.onClosed();
        }
    }

    private void deliverFailed()
    {
        if (!closed && !failed)
        {
            failed = true;
            if (socket != null)
            {
                socket.abort();
            }
            handler.onFailed(failedKind, failedDetail);
        }
    }
}
