package dev.warren.engine.edge;

import dev.warren.api.ErrorCode;
import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.tunnel.TunnelStream;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A {@code connect()} stream at the edge, and the {@link TcpSocket} the embedder holds.
 * <p>
 * <b>Threading.</b> The public {@link TcpSocket} methods and {@link Flow.Subscription} methods may be called from
 * any thread: each posts a command to the stream's event loop. Everything else, and every field not marked
 * otherwise, belongs to that loop. Futures complete and the subscriber is called on the loop.
 * <p>
 * <b>Memory.</b> Bytes received and not yet requested by the subscriber are held as copies; they never exceed the
 * stream's receive window, because credit goes back only when the subscriber has them.
 */
final class CallerStream extends TunnelStream
    implements EdgeStream, TcpSocket, Flow.Publisher<ByteBuffer>, Flow.Subscription
{
    /** After {@link #close()}, how long the private host may take to finish before the stream is reset. */
    static final long CLOSE_LINGER_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.socket.closeLingerMs", 30_000));

    private final EventLoop loop;
    private final String description;
    private final boolean allowHalfOpen;
    private final CompletableFuture<SocketInfo> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> writeClosed = new CompletableFuture<>();

    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> received = new ArrayDeque<>();
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private boolean readCompleted;
    private boolean discardReads;
    private boolean finRequested;
    private boolean failed;
    private WarrenException failure;
    private boolean openAcked;
    private boolean opening = true;
    private long lingerTimer = -1;
    private final BindingMetrics metrics;
    private final long startNs;

    /** Counted nowhere (tests that drive a connection alone). */
    CallerStream(final EdgeTunnelConnection connection, final String description, final boolean allowHalfOpen)
    {
        this(connection, description, allowHalfOpen, BindingMetrics.UNCOUNTED, System.nanoTime());
    }

    CallerStream(
        final EdgeTunnelConnection connection, final String description, final boolean allowHalfOpen,
        final BindingMetrics metrics, final long startNs)
    {
        super(connection);
        this.metrics = metrics;
        this.startNs = startNs;
        this.loop = connection.loop();
        this.description = description;
        this.allowHalfOpen = allowHalfOpen;
    }

    /** A socket that failed before it had a stream: no connection could carry it. */
    static TcpSocket failed(final ErrorCode code, final String description, final String reason)
    {
        return new FailedSocket(new WarrenException(code, description + ": " + reason));
    }

    // ---- TcpSocket (any thread) --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<SocketInfo> opened()
    {
        return opened;
    }

    @Override
    public CompletableFuture<Void> closed()
    {
        return closed;
    }

    @Override
    public Flow.Publisher<ByteBuffer> readable()
    {
        return this;
    }

    @Override
    public CompletableFuture<Void> write(final ByteBuffer data)
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final ByteBuffer view = data.duplicate();
        loop.execute(() -> onWrite(view, done));
        return done;
    }

    @Override
    public CompletableFuture<Void> closeWrite()
    {
        loop.execute(this::onCloseWrite);
        return writeClosed;
    }

    @Override
    public CompletableFuture<TcpSocket> startTls()
    {
        return CompletableFuture.failedFuture(
            new WarrenException(ErrorCode.REQUEST_INVALID, description + ": startTls() is not supported yet"));
    }

    @Override
    public void close()
    {
        loop.execute(this::onClose);
    }

    @Override
    public void abort()
    {
        loop.execute(() ->
        {
            if (!isEnded())
            {
                sendReset(WireCode.CANCELLED, "aborted by the caller");
            }
            fail(ErrorCode.CONNECTION_TERMINATED, "aborted by the caller", false);
            closed.complete(null);
        });
    }

    @Override
    public void subscribe(final Flow.Subscriber<? super ByteBuffer> newSubscriber)
    {
        loop.execute(() ->
        {
            if (subscriber != null)
            {
                newSubscriber.onSubscribe(NO_SUBSCRIPTION);
                newSubscriber.onError(new IllegalStateException(description + ": readable() has a subscriber already"));
                return;
            }
            subscriber = newSubscriber;
            newSubscriber.onSubscribe(this);
            if (failure != null)
            {
                newSubscriber.onError(failure);
            }
            else if (readCompleted && received.isEmpty())
            {
                newSubscriber.onComplete();
            }
            else
            {
                drainReads();
            }
        });
    }

    @Override
    public void request(final long n)
    {
        loop.execute(() ->
        {
            if (n <= 0)
            {
                onReadError(new IllegalArgumentException("request(" + n + "): demand must be positive (§3.9)"));
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            drainReads();
        });
    }

    @Override
    public void cancel()
    {
        loop.execute(() ->
        {
            readCompleted = true;
            discardReceived();
        });
    }

    // ---- loop thread -------------------------------------------------------------------------------------------

    @Override
    public void onOpenSent()
    {
        opening = false;
        metrics.streams().opened();
        drainWrites();
    }

    @Override
    public void failBeforeOpen(final int wireCode, final String reason)
    {
        opening = false;
        metrics.streams().failed(wireCode);
        fail(ErrorCode.fromWire(wireCode), reason, true);
    }

    @Override
    public boolean onOpenAck(final dev.warren.codec.tunnel.OpenAckDecoder ack)
    {
        if (openAcked)
        {
            return false;
        }
        openAcked = true;
        metrics.connectLatency().record(System.nanoTime() - startNs);
        opened.complete(new SocketInfo(ack.remote(), ack.local()));
        return true;
    }

    private void onWrite(final ByteBuffer data, final CompletableFuture<Void> done)
    {
        if (finRequested && !failed)
        {
            done.completeExceptionally(new WarrenException(ErrorCode.REQUEST_INVALID, description +
                ": write after closeWrite() or close()"));
            return;
        }
        if (failed || isEnded())
        {
            done.completeExceptionally(failure != null ?
                new WarrenException(failure.code(), "write after the socket failed: " + failure.getMessage(), failure) :
                new WarrenException(ErrorCode.CONNECTION_TERMINATED, description + ": the socket is closed"));
            return;
        }
        writes.addLast(new PendingWrite(data, done));
        drainWrites();
    }

    private void onCloseWrite()
    {
        if (failed)
        {
            return;
        }
        finRequested = true;
        drainWrites();
    }

    private void onClose()
    {
        if (failed || isEnded())
        {
            return;
        }
        discardReads = true;
        discardReceived();
        completeReads();
        finRequested = true;
        drainWrites();
        lingerTimer = loop.schedule(CLOSE_LINGER_NS, () ->
        {
            lingerTimer = -1;
            if (!isEnded())
            {
                sendReset(WireCode.CANCELLED, "closed by the caller; the private host did not finish in time");
                fail(ErrorCode.CONNECTION_TERMINATED, "closed by the caller before the private host finished", false);
                closed.complete(null);
            }
        });
    }

    private void drainWrites()
    {
        if (opening || failed || isEnded())
        {
            return;
        }
        PendingWrite head;
        while ((head = writes.peekFirst()) != null)
        {
            final ByteBuffer data = head.data;
            if (data.hasRemaining())
            {
                final int sendable = sendable();
                if (sendable == 0)
                {
                    stall();
                    return;
                }
                final PooledBuffer chunk = claimData(Math.min(sendable, data.remaining()));
                final int length = Math.min(Math.min(sendable, data.remaining()), dataRoom(chunk));
                chunk.view().putBytes(chunk.byteBuffer().limit() + dev.warren.codec.tunnel.FrameHeader.LENGTH,
                    data, data.position(), length);
                data.position(data.position() + length);
                commitData(chunk, length, false);
            }
            if (!data.hasRemaining())
            {
                writes.pollFirst();
                head.done.complete(null);
            }
        }
        if (finRequested && !writeClosed.isDone())
        {
            sendFin();
            writeClosed.complete(null);
        }
    }

    @Override
    protected void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (discardReads || readCompleted)
        {
            consumed(length);
            return;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        received.addLast(ByteBuffer.wrap(copy));
        drainReads();
    }

    @Override
    protected void onRemoteFin()
    {
        if (!allowHalfOpen && !finRequested)
        {
            finRequested = true;
            drainWrites();
        }
        drainReads();
    }

    @Override
    protected void onSendCredit()
    {
        drainWrites();
    }

    @Override
    protected void onBothFinished()
    {
        finish();
        maybeClosed();
    }

    @Override
    protected void onReset(final int code, final String message)
    {
        countFailure(code);
        fail(ErrorCode.fromWire(code), message, true);
    }

    @Override
    protected void onTerminated(final int code, final String message)
    {
        countFailure(code);
        fail(ErrorCode.fromWire(code), message, true);
    }

    /** A stream the network failed (not one the caller aborted) counts once. */
    private void countFailure(final int code)
    {
        if (!failed)
        {
            metrics.streams().failed(code);
        }
    }

    private void drainReads()
    {
        ByteBuffer next;
        while (subscriber != null && demand > 0 && !readCompleted && (next = received.pollFirst()) != null)
        {
            demand--;
            final int length = next.remaining();
            try
            {
                subscriber.onNext(next);
            }
            catch (final Throwable ex)
            {
                consumed(length);
                abort();
                return;
            }
            consumed(length);
        }
        if (received.isEmpty() && isRemoteFinished() && !readCompleted && !failed)
        {
            completeReads();
        }
        maybeClosed();
    }

    private void completeReads()
    {
        if (!readCompleted)
        {
            readCompleted = true;
            if (subscriber != null)
            {
                subscriber.onComplete();
            }
        }
    }

    private void maybeClosed()
    {
        if (isEnded() && !failed && readCompleted && writes.isEmpty())
        {
            loop.cancel(lingerTimer);
            lingerTimer = -1;
            closed.complete(null);
        }
    }

    private void discardReceived()
    {
        ByteBuffer next;
        while ((next = received.pollFirst()) != null)
        {
            consumed(next.remaining());
        }
    }

    private void fail(final ErrorCode code, final String reason, final boolean failClosed)
    {
        if (failed)
        {
            return;
        }
        failed = true;
        loop.cancel(lingerTimer);
        lingerTimer = -1;
        final WarrenException error = new WarrenException(code, description + ": " + reason);
        failure = error;
        opened.completeExceptionally(error);
        PendingWrite write;
        while ((write = writes.pollFirst()) != null)
        {
            write.done.completeExceptionally(error);
        }
        writeClosed.completeExceptionally(error);
        discardReceived();
        if (!readCompleted)
        {
            readCompleted = true;
            if (subscriber != null)
            {
                subscriber.onError(error);
            }
        }
        if (failClosed)
        {
            closed.completeExceptionally(error);
        }
    }

    private void onReadError(final Throwable error)
    {
        if (!readCompleted && subscriber != null)
        {
            readCompleted = true;
            subscriber.onError(error);
        }
        discardReads = true;
        discardReceived();
    }

    private record PendingWrite(ByteBuffer data, CompletableFuture<Void> done)
    {
    }

    private static final Flow.Subscription NO_SUBSCRIPTION = new Flow.Subscription()
    {
        @Override
        public void request(final long n)
        {
        }

        @Override
        public void cancel()
        {
        }
    };

    @Override
    public String toString()
    {
        return "CallerStream[" + description + " demand=" + demand + " received=" + received.size() + " readCompleted=" +
            readCompleted + " failed=" + failed + " subscriber=" + subscriber + "]";
    }
}
