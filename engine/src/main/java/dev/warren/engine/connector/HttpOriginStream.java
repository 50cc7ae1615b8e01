package dev.warren.engine.connector;

import dev.warren.api.CertVerification;
import dev.warren.codec.http.HttpMessageTracker;
import dev.warren.codec.http.HttpMethod;
import dev.warren.codec.http.HttpRequestHeadDecoder;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.ChunkQueue;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.tls.TlsChannel;
import dev.warren.engine.tunnel.TunnelStream;
import org.agrona.DirectBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * An http stream at the connector (PROTOCOL.md, stream kinds): one HTTP/1.1 request from the edge, relayed to the
 * private host over a keep-alive connection from the loop's {@link OriginPool}, and its response relayed back.
 * <p>
 * Bytes pass through verbatim both ways, without copies where the sockets keep up (as in
 * {@link dev.warren.engine.tunnel.SocketRelayStream}); an {@link HttpMessageTracker} on each direction follows the
 * framing alongside, so the stream knows where the request and the response end. When the response is complete the
 * stream sends FIN, and the connection goes back to the pool only if both messages were complete and kept alive and
 * nothing else arrived; anything else (an error, a reset from the edge, a response before the request ended, a
 * body read until close) closes it. The edge sends one request and then FIN; bytes after the request are refused
 * ({@code request_invalid}), so a pooled connection can never carry a response nobody will read.
 * <p>
 * <b>https.</b> When the OPEN asked for TLS, a fresh connection first completes a TLS handshake ({@link TlsChannel},
 * on this loop) presenting the server name as SNI and verifying as asked; only then does the edge get
 * {@code OPEN_ACK}. A failed handshake or refused certificate is {@code tls_error}, and so is one that does not
 * complete within the connect timeout. Bytes then pass through the TLS layer instead of straight to the socket (one
 * record at a time, with the same credit-based backpressure); the plaintext path is unchanged. The pool key names
 * TLS, the server name and the verification mode, so a connection is only reused for exactly the same ones.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
final class HttpOriginStream extends TunnelStream implements OriginDial.Outcome
{
    private static final int MAX_READS_PER_EVENT = 16;
    /** Most request bytes kept to send again if a pooled connection turns out dead. */
    private static final int MAX_REPLAY = 64 * 1024;

    private final ConnectorTunnelConnection tunnel;
    private final EventLoop loop;
    private final OriginPool pool;
    // what the OPEN asked for, set by prepare() for each stream this object carries
    private String host;
    private int port;
    private int requestedTimeoutMs;
    private String poolKey;
    /** For https: the TLS server name; null for plaintext. */
    private String serverName;
    private CertVerification verification;
    /** A fresh https connection whose TLS handshake is under way; not yet {@link #origin}. */
    private OriginConnection handshaking;
    private long handshakeTimer = -1;
    /** A read of buffered TLS input is queued on the loop. */
    private boolean resumeQueued;
    /** Request bytes the host has not taken yet; made on first need (a pooled connection usually takes all). */
    private ChunkQueue pending;
    private HttpMessageTracker request;
    private HttpMessageTracker response;
    private OriginDial dial;
    private OriginConnection origin;
    private boolean methodKnown;
    /** OPEN_ACK went out (a retry on a fresh connection does not send another). */
    private boolean acked;
    /** The connection came from the pool and no retry happened yet. */
    private boolean reused;
    /** The request bytes sent so far, while a retry is possible (a spare of the pool's); null otherwise. */
    private byte[] replay;
    private int replayLength;
    /** Request bytes written to the current connection and credited to the edge. */
    private int creditedOnThisConnection;
    /** Of the bytes being sent again, those credited the first time, not to be credited again. */
    private int replayedUncredited;
    /** The host sent more than the response: the connection cannot be reused. */
    private boolean trailingBytes;
    /** The origin connection went back to the pool or was closed; what the edge still sends is dropped. */
    private boolean originDone;

    HttpOriginStream(final ConnectorTunnelConnection tunnel, final OriginPool pool)
    {
        super(tunnel);
        this.tunnel = tunnel;
        this.loop = tunnel.loop();
        this.pool = pool;
    }

    /**
     * Sets up this object for the stream an OPEN asked for: a new object, or one that carried an earlier stream of
     * the same connection and {@link #isRecyclable() ended cleanly}. Then {@link #begin()}.
     *
     * @param serverName   for https: the TLS server name (SNI; the name {@code verify_full} matches); null for http.
     * @param verification for https: how the host's certificate is verified.
     */
    void prepare(
        final String host, final int port, final int requestedTimeoutMs, final String serverName,
        final CertVerification verification)
    {
        if (isEnded())
        {
            reuse(); // an earlier stream's object (its trackers went back to the pool when it finished)
        }
        this.host = host;
        this.port = port;
        this.requestedTimeoutMs = requestedTimeoutMs;
        this.serverName = serverName;
        this.verification = verification;
        this.poolKey = pool.keyFor(host, port, serverName, verification);
        this.request = pool.requestTracker();
        this.response = pool.responseTracker();
        // dial, origin, handshaking, handshakeTimer, resumeQueued and replay are at rest already (isRecyclable)
        methodKnown = false;
        acked = false;
        reused = false;
        replayLength = 0;
        creditedOnThisConnection = 0;
        replayedUncredited = 0;
        trailingBytes = false;
        originDone = false;
    }

    /**
     * Whether this object may carry another stream of its connection: it finished cleanly, nothing (a dial, a TLS
     * handshake or its timer, a queued read, an origin connection, the connection's stalled list) can call it back,
     * and it holds nothing of the pool's (a replay buffer).
     */
    boolean isRecyclable()
    {
        return isReusable() && request == null && dial == null && handshaking == null && handshakeTimer == -1 &&
            !resumeQueued && origin == null && !hasPending() && replay == null;
    }

    private boolean hasPending()
    {
        return pending != null && !pending.isEmpty();
    }

    private ChunkQueue pending()
    {
        if (pending == null)
        {
            pending = new ChunkQueue();
        }
        return pending;
    }

    private void clearPending()
    {
        if (pending != null)
        {
            pending.clear();
        }
    }

    private String describe()
    {
        return poolKey;
    }

    void begin()
    {
        final OriginConnection pooled = pool.take(poolKey);
        if (pooled != null)
        {
            reused = true;
            use(pooled);
            return;
        }
        dial = new OriginDial(tunnel.runtime, loop, host, port, requestedTimeoutMs, this);
        dial.start();
    }

    @Override
    public void connected(final SocketChannel socket, final SelectionKey key)
    {
        dial = null;
        String remote;
        String local;
        try
        {
            remote = addressText((InetSocketAddress)socket.getRemoteAddress());
            local = addressText((InetSocketAddress)socket.getLocalAddress());
        }
        catch (final IOException ex)
        {
            remote = describe();
            local = "?";
        }
        if (serverName == null)
        {
            use(pool.opened(poolKey, socket, key, remote, local, null));
            return;
        }
        final SSLEngine engine;
        try
        {
            engine = tunnel.runtime.originTls.engine(serverName, port, verification);
        }
        catch (final java.security.GeneralSecurityException | RuntimeException ex)
        {
            final OriginConnection connection = pool.opened(poolKey, socket, key, remote, local, null);
            connection.close(true);
            fail(WireCode.TLS_ERROR, "cannot set up TLS to " + describeTls() + ": " + ex);
            return;
        }
        handshaking = pool.opened(poolKey, socket, key, remote, local, new TlsChannel(socket, engine));
        handshaking.user = this;
        final long configured = tunnel.runtime.config.connectTimeout().toMillis();
        final long timeoutMs = requestedTimeoutMs > 0 ? Math.min(requestedTimeoutMs, configured) : configured;
        handshakeTimer = loop.schedule(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMs), () ->
        {
            handshakeTimer = -1;
            if (handshaking != null && !isEnded())
            {
                fail(WireCode.TLS_ERROR, "TLS handshake with " + describeTls() + " did not complete within " +
                    timeoutMs + " ms");
            }
        });
        continueHandshake();
    }

    private String describeTls()
    {
        return OriginDial.describe(host, port) + " (server name " + serverName + ", " +
            verification.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** Advances the TLS handshake of a fresh https connection; once done, the connection is this stream's. */
    private void continueHandshake()
    {
        final OriginConnection connection = handshaking;
        final int interest;
        try
        {
            interest = connection.tls.handshake();
        }
        catch (final SSLException ex)
        {
            fail(WireCode.TLS_ERROR, "TLS handshake with " + describeTls() + " failed: " + ex.getMessage());
            return;
        }
        catch (final IOException ex)
        {
            fail(WireCode.CONNECTION_TERMINATED, "connection to " + describeTls() + " failed during the TLS " +
                "handshake: " + ex.getMessage());
            return;
        }
        if (interest != 0)
        {
            connection.key.interestOps(interest);
            return;
        }
        loop.cancel(handshakeTimer);
        handshakeTimer = -1;
        handshaking = null;
        if (verification == CertVerification.DISABLED)
        {
            tunnel.runtime.originTls.warnDisabled(OriginDial.describe(host, port), serverName);
        }
        use(connection);
    }

    @Override
    public void failed(final int wireCode, final String message)
    {
        dial = null;
        if (!isEnded())
        {
            fail(wireCode, message);
        }
    }

    private void use(final OriginConnection connection)
    {
        origin = connection;
        connection.user = this;
        if (!acked)
        {
            acked = true;
            tunnel.sendOpenAck(id(), connection.remote, connection.local);
        }
        connection.key.interestOps(SelectionKey.OP_READ);
        if (hasPending())
        {
            writePending();
        }
    }

    /** Readiness of the origin connection while this stream uses it. */
    void onOriginReady(final int readyOps)
    {
        if (handshaking != null)
        {
            continueHandshake();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0)
        {
            writePending();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && origin != null && !originDone)
        {
            readOrigin();
        }
    }

    // ---- edge -> private host ----------------------------------------------------------------------------------

    @Override
    protected void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (originDone)
        {
            consumed(length); // the host answered before the request ended; the rest has nowhere to go
            return;
        }
        final int belongs = request.track(buffer, offset, length);
        if (belongs == HttpMessageTracker.ERROR)
        {
            fail(WireCode.REQUEST_INVALID, "request refused: " + request.errorReason());
            return;
        }
        if (belongs < length)
        {
            fail(WireCode.REQUEST_INVALID, "bytes after the request: an http stream carries one request");
            return;
        }
        if (!methodKnown && request.isHeadDone())
        {
            methodKnown = true;
            final HttpMethod method = ((HttpRequestHeadDecoder)request.head()).method();
            if (method == HttpMethod.CONNECT)
            {
                fail(WireCode.REQUEST_INVALID, "CONNECT is not relayed on an http stream (use a tcp stream)");
                return;
            }
            response.forResponseTo(method);
        }
        if (reused)
        {
            keepForReplay(buffer, offset, length);
        }
        if (origin == null || hasPending())
        {
            appendPending(buffer, offset, length);
            return;
        }
        final int written;
        try
        {
            written = origin.write(payload(offset, length));
        }
        catch (final IOException ex)
        {
            originFailed(ex);
            return;
        }
        if (written > 0)
        {
            credit(written);
        }
        if (written < length)
        {
            appendPending(buffer, offset + written, length - written);
            origin.key.interestOps(origin.key.interestOps() | SelectionKey.OP_WRITE);
        }
        else if (origin.hasPendingOutput())
        {
            origin.key.interestOps(origin.key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    private void appendPending(final DirectBuffer buffer, final int offset, final int length)
    {
        pending().append(loop.bufferPool(), buffer, offset, length);
    }

    private void writePending()
    {
        if (origin == null || originDone)
        {
            return;
        }
        while (hasPending())
        {
            final long written;
            try
            {
                written = pending.writeTo(origin.output());
            }
            catch (final IOException ex)
            {
                originFailed(ex);
                return;
            }
            if (written == 0)
            {
                origin.key.interestOps(origin.key.interestOps() | SelectionKey.OP_WRITE);
                return;
            }
            credit((int)written);
        }
        if (origin.tls != null)
        {
            try
            {
                if (!origin.tls.flush())
                {
                    origin.key.interestOps(origin.key.interestOps() | SelectionKey.OP_WRITE);
                    return;
                }
            }
            catch (final IOException ex)
            {
                originFailed(ex);
                return;
            }
        }
        origin.key.interestOps(origin.key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    @Override
    protected void onRemoteFin()
    {
        if (!originDone && !request.isDone())
        {
            fail(WireCode.REQUEST_INVALID, request.hasStarted() ?
                "the edge ended the stream before the request ended" : "the edge ended the stream without a request");
        }
    }

    // ---- private host -> edge ----------------------------------------------------------------------------------

    private void readOrigin()
    {
        final OriginConnection connection = origin;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++)
        {
            final int sendable = sendable();
            if (sendable == 0)
            {
                origin.key.interestOps(origin.key.interestOps() & ~SelectionKey.OP_READ);
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
                read = connection.read(fill);
            }
            catch (final IOException ex)
            {
                commitData(chunk, 0, false);
                originFailed(ex);
                return;
            }
            if (read == 0)
            {
                commitData(chunk, 0, false);
                return;
            }
            if (read < 0)
            {
                commitData(chunk, 0, false);
                onOriginEnd();
                return;
            }
            if (reused)
            {
                reused = false; // a response byte came: the connection was alive, nothing will be sent again
                dropReplay();
            }
            final int belongs = response.track(chunk.view(), at, read);
            if (belongs == HttpMessageTracker.ERROR)
            {
                commitData(chunk, 0, false);
                fail(WireCode.PROTOCOL_ERROR, describe() + " broke HTTP/1.1: " + response.errorReason());
                return;
            }
            trailingBytes |= belongs < read;
            if (response.isDone())
            {
                giveBack();
                commitData(chunk, belongs, true);
                return;
            }
            commitData(chunk, belongs, false);
            if (read < room && connection.tls == null)
            {
                return;
            }
        }
        resumeBuffered();
    }

    /**
     * The TLS layer may hold bytes no socket readiness will announce: read them on a later loop cycle (never here,
     * so one stream cannot hog the loop).
     */
    private void resumeBuffered()
    {
        final OriginConnection connection = origin;
        if (connection == null || resumeQueued || !connection.hasBufferedInput())
        {
            return;
        }
        resumeQueued = true;
        loop.execute(() ->
        {
            resumeQueued = false;
            if (origin == connection && !originDone && !isEnded() && sendable() > 0)
            {
                readOrigin();
            }
        });
    }

    /** Request bytes written to the host: the edge may send that many more, except those sent again on a retry. */
    private void credit(final int written)
    {
        final int again = Math.min(written, replayedUncredited);
        replayedUncredited -= again;
        creditedOnThisConnection += written - again;
        if (written > again)
        {
            consumed(written - again);
        }
    }

    /** A reused connection may turn out dead: keep what was sent on it, to send again on a fresh one. */
    private void keepForReplay(final DirectBuffer buffer, final int offset, final int length)
    {
        final int needed = replayLength + length;
        if (needed > MAX_REPLAY)
        {
            dropReplay();
            reused = false; // too much to keep: no retry for this request
            return;
        }
        if (replay == null)
        {
            replay = pool.replayBuffer(needed);
        }
        else if (needed > replay.length)
        {
            replay = java.util.Arrays.copyOf(replay, Math.min(MAX_REPLAY, Math.max(replay.length * 2, needed)));
        }
        buffer.getBytes(offset, replay, replayLength, length);
        replayLength = needed;
    }

    /** No retry can happen any more: the kept bytes go back to the pool's spares. */
    private void dropReplay()
    {
        if (replay != null)
        {
            pool.recycleReplay(replay);
            replay = null;
        }
    }

    /**
     * A pooled connection died before any response byte: the host closed it while it idled, a race the idle watcher
     * cannot always win. An idempotent request (RFC 9110 §9.2.2) whose bytes were kept is sent again, once, on a
     * fresh connection; bytes credited already are not credited twice.
     *
     * @return true when a retry started.
     */
    private boolean retryOnFreshConnection()
    {
        if (!reused || replay == null || response.hasStarted() || (methodKnown && !isIdempotent()))
        {
            return false;
        }
        reused = false;
        final OriginConnection dead = origin;
        origin = null;
        dead.close(true);
        clearPending();
        replayedUncredited = creditedOnThisConnection;
        pending().append(loop.bufferPool(), new org.agrona.concurrent.UnsafeBuffer(replay, 0, replayLength), 0,
            replayLength);
        dropReplay();
        dial = new OriginDial(tunnel.runtime, loop, host, port, requestedTimeoutMs, this);
        dial.start();
        return true;
    }

    private boolean isIdempotent()
    {
        final HttpMethod method = ((HttpRequestHeadDecoder)request.head()).method();
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.PUT ||
            method == HttpMethod.DELETE || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE;
    }

    /** The host closed its side: that ends a response read until close; anything else was cut short. */
    private void onOriginEnd()
    {
        final boolean started = response.hasStarted();
        if (!started && retryOnFreshConnection())
        {
            return;
        }
        if (response.endOfInput() == 0)
        {
            final OriginConnection connection = origin;
            originDone = true;
            connection.close(false);
            origin = null;
            sendFin();
            return;
        }
        fail(WireCode.CONNECTION_TERMINATED, describe() + (started ?
            " closed the connection before the response ended" : " closed the connection without responding"));
    }

    /** The response is complete: keep the connection for the next request, or close it. */
    private void giveBack()
    {
        final OriginConnection connection = origin;
        final boolean reusable = request.isDone() && !hasPending() && !trailingBytes &&
            request.isKeepAlive() && response.isKeepAlive() && !connection.hasPendingOutput() &&
            !connection.hasBufferedInput();
        origin = null;
        originDone = true;
        clearPending();
        dropReplay();
        if (reusable)
        {
            pool.release(connection);
        }
        else
        {
            connection.close(false);
        }
    }

    @Override
    protected void onSendCredit()
    {
        if (origin != null && !originDone && !isEnded())
        {
            origin.key.interestOps(origin.key.interestOps() | SelectionKey.OP_READ);
            resumeBuffered();
        }
    }

    // ---- endings -----------------------------------------------------------------------------------------------

    @Override
    protected void onBothFinished()
    {
        finish();
        recycleTrackers();
        tunnel.recycle(this);
    }

    private void originFailed(final IOException ex)
    {
        if (!(ex instanceof SSLException) && retryOnFreshConnection())
        {
            return;
        }
        if (ex instanceof SSLException)
        {
            fail(WireCode.TLS_ERROR, "TLS with " + describeTls() + " failed: " + ex.getMessage());
            return;
        }
        fail(WireCode.CONNECTION_TERMINATED, "connection to " + describe() + " failed: " + ex.getMessage());
    }

    /** Resets the stream with {@code code} and closes the origin connection with RST. */
    private void fail(final int code, final String message)
    {
        sendReset(code, message);
        abandon(code);
    }

    @Override
    protected void onReset(final int code, final String message)
    {
        abandon(code);
    }

    @Override
    protected void onTerminated(final int code, final String message)
    {
        abandon(code);
    }

    private void abandon(final int code)
    {
        tunnel.runtime.metrics.streams.failed(code);
        clearPending();
        dropReplay();
        if (dial != null)
        {
            dial.cancel();
            dial = null;
        }
        if (origin != null)
        {
            origin.close(true);
            origin = null;
        }
        if (handshaking != null)
        {
            loop.cancel(handshakeTimer);
            handshakeTimer = -1;
            handshaking.close(true);
            handshaking = null;
        }
        originDone = true;
        recycleTrackers();
    }

    private void recycleTrackers()
    {
        if (request != null)
        {
            pool.recycle(request, response);
            request = null;
            response = null;
        }
    }

    @Override
    public String toString()
    {
        return "HttpOriginStream[" + poolKey + " origin=" + (origin == null ? "none" :
            "interest " + (origin.key.isValid() ? origin.key.interestOps() : -1)) + " originDone=" + originDone +
            " pending=" + (pending == null ? 0 : pending.size()) + " request=" +
            (request == null ? "-" : request.isDone()) + " response=" +
            (response == null ? "-" : response.isHeadDone() + "/" + response.isDone()) + "]";
    }

    private static String addressText(final InetSocketAddress address)
    {
        final String ip = address.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }
}
