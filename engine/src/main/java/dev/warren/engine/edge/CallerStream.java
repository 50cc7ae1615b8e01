package dev.warren.engine.edge;

import dev.warren.api.ErrorCode;
import dev.warren.api.SecureTransport;
import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.tls.TlsStreamCodec;
import dev.warren.engine.tunnel.TunnelStream;
import org.agrona.DirectBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
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
 * <p>
 * <b>TLS</b> ({@code secureTransport} {@code ON}, or {@code STARTTLS} after {@link #startTls()}): a
 * {@link TlsStreamCodec} sits between the caller's plaintext and the stream's bytes, so the connector relays only
 * ciphertext. The upgrade point is a marker in the write queue: writes queued before it go out in plaintext, the
 * handshake starts when it reaches the head, and writes after it are encrypted. Inbound, everything received after
 * {@code startTls()} ran on the loop is ciphertext, and plaintext received before it is still delivered first.
 * Ciphertext is credited back only as the engine consumes it, and records are decrypted only while the subscriber
 * has demand, so backpressure passes through TLS unchanged; a write completes when its last record is in the tunnel.
 * Our end sends {@code close_notify} before its FIN; the peer's {@code close_notify} ends the readable side.
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
    /** Null for a plain socket. */
    private final SocketTls tlsSettings;
    /** Created by {@code ON} at once, by {@code STARTTLS} when {@link #startTls()} runs on the loop. */
    private TlsStreamCodec tls;
    /** The write queue has passed the upgrade marker: what we send is TLS. */
    private boolean tlsOut;
    private boolean startTlsCalled;
    private CompletableFuture<TcpSocket> upgraded;
    private SocketInfo openInfo;
    private long handshakeTimer = -1;

    /** Counted nowhere (tests that drive a connection alone). */
    CallerStream(final EdgeTunnelConnection connection, final String description, final boolean allowHalfOpen)
    {
        this(connection, description, allowHalfOpen, BindingMetrics.UNCOUNTED, System.nanoTime());
    }

    CallerStream(
        final EdgeTunnelConnection connection, final String description, final boolean allowHalfOpen,
        final BindingMetrics metrics, final long startNs)
    {
        this(connection, description, allowHalfOpen, metrics, startNs, null, null);
    }

    /**
     * @param tlsSettings null for a plain socket; else the TLS it runs with the private host.
     * @param engine      for {@code ON}: the engine of the handshake that starts with the stream; else null.
     */
    CallerStream(
        final EdgeTunnelConnection connection, final String description, final boolean allowHalfOpen,
        final BindingMetrics metrics, final long startNs, final SocketTls tlsSettings, final SSLEngine engine)
    {
        super(connection);
        this.metrics = metrics;
        this.startNs = startNs;
        this.loop = connection.loop();
        this.description = description;
        this.allowHalfOpen = allowHalfOpen;
        this.tlsSettings = tlsSettings;
        if (engine != null)
        {
            tls = new TlsStreamCodec(engine);
            writes.addLast(START_TLS);
        }
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
        if (tlsSettings == null || tlsSettings.mode() != SecureTransport.STARTTLS)
        {
            return CompletableFuture.failedFuture(new WarrenException(ErrorCode.REQUEST_INVALID, description +
                ": startTls() needs secureTransport STARTTLS; this socket is " +
                (tlsSettings == null ? SecureTransport.OFF : tlsSettings.mode())));
        }
        final SSLEngine engine;
        try
        {
            engine = tlsSettings.newEngine();
        }
        catch (final java.security.GeneralSecurityException | RuntimeException ex)
        {
            return CompletableFuture.failedFuture(new WarrenException(ErrorCode.TLS_ERROR, description +
                ": cannot set up TLS: " + ex.getMessage(), ex));
        }
        final CompletableFuture<TcpSocket> done = new CompletableFuture<>();
        loop.execute(() -> onStartTls(engine, done));
        return done;
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
        openInfo = new SocketInfo(ack.remote(), ack.local());
        if (tlsSettings != null && tlsSettings.mode() == SecureTransport.ON && !tls.isHandshakeDone())
        {
            return true; // opened() waits for the handshake
        }
        metrics.connectLatency().record(System.nanoTime() - startNs);
        opened.complete(openInfo);
        return true;
    }

    private void onStartTls(final SSLEngine engine, final CompletableFuture<TcpSocket> done)
    {
        if (startTlsCalled)
        {
            done.completeExceptionally(new WarrenException(ErrorCode.REQUEST_INVALID, description +
                ": startTls() may be called once"));
            return;
        }
        if (failed || isEnded() || finRequested)
        {
            done.completeExceptionally(failure != null ?
                new WarrenException(failure.code(), "startTls() after the socket failed: " + failure.getMessage(),
                    failure) :
                new WarrenException(ErrorCode.REQUEST_INVALID, description + ": startTls() after the socket was " +
                    "closed for writing"));
            return;
        }
        startTlsCalled = true;
        upgraded = done;
        tls = new TlsStreamCodec(engine);
        writes.addLast(START_TLS);
        drainWrites();
    }

    /** The upgrade marker reached the head of the write queue: everything before it has gone out in plaintext. */
    private void beginTls() throws SSLException
    {
        tlsOut = true;
        tls.beginHandshake();
        final long timeoutNs = tlsSettings.timeoutNs();
        handshakeTimer = loop.schedule(timeoutNs, () ->
        {
            handshakeTimer = -1;
            if (!failed && !tls.isHandshakeDone())
            {
                failTls("the TLS handshake did not complete within " +
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms", null);
            }
        });
    }

    private void onHandshakeDone()
    {
        loop.cancel(handshakeTimer);
        handshakeTimer = -1;
        if (tlsSettings.mode() == SecureTransport.ON)
        {
            if (openAcked && !opened.isDone())
            {
                metrics.connectLatency().record(System.nanoTime() - startNs);
                opened.complete(openInfo);
            }
        }
        else if (upgraded != null)
        {
            upgraded.complete(this);
        }
    }

    /**
     * Moves waiting ciphertext into the tunnel and drives the handshake.
     *
     * @return true when nothing waits to go out and no handshake is in progress: plaintext may be wrapped.
     */
    private boolean flushTls()
    {
        try
        {
            while (true)
            {
                int pending;
                while ((pending = tls.pendingOutbound()) > 0)
                {
                    final int sendable = sendable();
                    if (sendable == 0)
                    {
                        stall();
                        return false;
                    }
                    final PooledBuffer chunk = claimData(Math.min(sendable, pending));
                    final int length = Math.min(Math.min(sendable, pending), dataRoom(chunk));
                    tls.drainOutbound(chunk.view(),
                        chunk.byteBuffer().limit() + dev.warren.codec.tunnel.FrameHeader.LENGTH, length);
                    commitData(chunk, length, false);
                }
                if (tls.isOutboundClosed() || !tls.needsHandshakeWork())
                {
                    return true;
                }
                final boolean wasDone = tls.isHandshakeDone();
                final int status = tls.handshake();
                creditTls();
                if (!wasDone && tls.isHandshakeDone())
                {
                    onHandshakeDone();
                }
                if (tls.pendingOutbound() == 0 && status != TlsStreamCodec.NEED_DRAIN)
                {
                    if (status == TlsStreamCodec.NEED_INPUT && !tls.isHandshakeDone() && isRemoteFinished())
                    {
                        failTls("the private host closed the connection during the TLS handshake", null);
                    }
                    return status == TlsStreamCodec.DONE;
                }
            }
        }
        catch (final SSLException ex)
        {
            failTls(null, ex);
            return false;
        }
    }

    /** Returns credit for the ciphertext the engine consumed. */
    private void creditTls()
    {
        final int consumedBytes = tls.takeConsumedInbound();
        if (consumedBytes > 0)
        {
            consumed(consumedBytes);
        }
    }

    /** TLS with the private host failed: {@code tls_error}, and the connector resets the host's connection. */
    private void failTls(final String reason, final Throwable cause)
    {
        if (failed)
        {
            return;
        }
        final String why = reason != null ? reason : "TLS with the private host failed: " + rootMessage(cause);
        countFailure(dev.warren.codec.tunnel.WireCode.TLS_ERROR);
        if (!isEnded())
        {
            sendReset(dev.warren.codec.tunnel.WireCode.TLS_ERROR, why.length() > 200 ? why.substring(0, 200) : why);
        }
        fail(ErrorCode.TLS_ERROR, why, true);
    }

    private static String rootMessage(final Throwable error)
    {
        final StringBuilder message = new StringBuilder();
        Throwable at = error;
        String last = null;
        while (at != null)
        {
            final String text = at.getMessage();
            if (text != null && (last == null || !last.contains(text)))
            {
                if (message.length() > 0)
                {
                    message.append(": ");
                }
                message.append(text);
                last = text;
            }
            at = at.getCause() == at ? null : at.getCause();
        }
        return message.length() == 0 ? error.getClass().getSimpleName() : message.toString();
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
        if (tls != null && tls.isBegun() && !tls.isHandshakeDone())
        {
            sendReset(WireCode.CANCELLED, "closed by the caller during the TLS handshake");
            fail(ErrorCode.CONNECTION_TERMINATED, "closed by the caller during the TLS handshake", false);
            closed.complete(null);
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
        while (true)
        {
            if (tlsOut && !flushTls())
            {
                return;
            }
            if ((head = writes.peekFirst()) == null)
            {
                break;
            }
            if (head == START_TLS)
            {
                writes.pollFirst();
                try
                {
                    beginTls();
                }
                catch (final SSLException ex)
                {
                    failTls(null, ex);
                    return;
                }
                continue;
            }
            final ByteBuffer data = head.data;
            if (data.hasRemaining())
            {
                if (tlsOut)
                {
                    final int taken;
                    try
                    {
                        taken = tls.wrap(data);
                    }
                    catch (final SSLException ex)
                    {
                        failTls(null, ex);
                        return;
                    }
                    if (taken == 0 && tls.pendingOutbound() == 0)
                    {
                        return; // the engine waits for the peer (a renegotiation): ciphertext in resumes us
                    }
                    continue; // flush the record first
                }
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
            if (tlsOut && !tls.isOutboundClosed())
            {
                tls.closeOutbound(); // close_notify, then the FIN
                if (!flushTls())
                {
                    return;
                }
            }
            sendFin();
            writeClosed.complete(null);
        }
    }

    @Override
    protected void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (tls != null && !failed && !tls.isHandshakeDone())
        {
            tls.receive(buffer, offset, length); // the handshake reads regardless of the subscriber
            drainWrites();
            drainReads();
            return;
        }
        if (discardReads || readCompleted)
        {
            consumed(length);
            return;
        }
        if (tls != null)
        {
            tls.receive(buffer, offset, length);
            drainReads();
            if (tlsOut && (tls.needsHandshakeWork() || !writes.isEmpty()))
            {
                drainWrites(); // a post-handshake answer (a key update), or writes the engine held back
            }
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
        if (tls != null && tls.isBegun() && !tls.isHandshakeDone())
        {
            failTls("the private host closed the connection during the TLS handshake", null);
            return;
        }
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
        while (subscriber != null && demand > 0 && !readCompleted && !failed)
        {
            next = received.pollFirst();
            final int length;
            if (next != null)
            {
                length = next.remaining();
            }
            else if (tls != null && tls.isHandshakeDone() && !tls.isInboundDone())
            {
                try
                {
                    next = tls.unwrap();
                }
                catch (final SSLException ex)
                {
                    failTls(null, ex);
                    return;
                }
                length = tls.takeConsumedInbound();
                if (next == null)
                {
                    if (length > 0)
                    {
                        consumed(length);
                    }
                    break;
                }
            }
            else
            {
                break;
            }
            demand--;
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
        if (failed)
        {
            return;
        }
        if (tls != null && tls.isInboundDone() && received.isEmpty() && !readCompleted)
        {
            tls.discardInbound(); // anything after close_notify
            creditTls();
            completeReads();
            if (!allowHalfOpen && !finRequested)
            {
                finRequested = true; // the host finished (close_notify): so do we
                drainWrites();
            }
        }
        else if (received.isEmpty() && isRemoteFinished() && !readCompleted)
        {
            if (tls != null && tls.isHandshakeDone() && tls.heldInbound() > 0)
            {
                if (demand > 0)
                {
                    failTls("the private host's stream ended inside a TLS record", null);
                    return;
                }
            }
            else
            {
                completeReads();
            }
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
        if (tls != null && tls.isHandshakeDone())
        {
            tls.discardInbound();
            creditTls();
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
        loop.cancel(handshakeTimer);
        handshakeTimer = -1;
        final WarrenException error = new WarrenException(code, description + ": " + reason);
        failure = error;
        opened.completeExceptionally(error);
        PendingWrite write;
        while ((write = writes.pollFirst()) != null)
        {
            write.done.completeExceptionally(error);
        }
        writeClosed.completeExceptionally(error);
        if (upgraded != null)
        {
            upgraded.completeExceptionally(error);
        }
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

    /** In the write queue: where the plaintext ends and TLS begins. */
    private static final PendingWrite START_TLS = new PendingWrite(null, null);

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
