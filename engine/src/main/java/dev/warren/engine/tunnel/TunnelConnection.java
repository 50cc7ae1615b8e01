package dev.warren.engine.tunnel;

import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHandler;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.GoAwayDecoder;
import dev.warren.codec.tunnel.ResetDecoder;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.Flushable;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.tls.TlsChannel;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;

/**
 * One TCP connection between an edge and a connector, carrying many {@link TunnelStream}s (PROTOCOL.md).
 * <p>
 * This class holds what both ends share: reading and decoding frames, the outbound queue flushed once per loop
 * cycle, the stream table, connection-level credit, keepalive pings, and closing. The handshake and the stream
 * frames only one end receives ({@code OPEN} on the connector, {@code OPEN_ACK} at the edge) are in the
 * subclasses.
 * <p>
 * <b>Backpressure on the tunnel itself.</b> When more than {@link #HIGH_WATER} bytes wait to be written, the
 * connection reports itself not {@link #isWritable() writable}; streams stop producing and {@link #stall} until
 * the queue drains below {@link #LOW_WATER}.
 * <p>
 * <b>TLS.</b> When {@link #secure} gave it an engine, frames are read and written through a {@link TlsChannel} over
 * the socket, and none moves before the TLS handshake is done (what is queued meanwhile, the connector's HELLO,
 * waits). Without one the socket is read and written directly, exactly as before: the plaintext path pays one
 * null check per read and per write.
 * <p>
 * <b>Threading.</b> Owned by its event loop: every method runs on that loop's thread, except
 * {@link #openStreams()} which any thread may read (the edge picks a connection by it).
 */
public abstract class TunnelConnection implements IoHandler, Flushable, FrameHandler
{
    /** Outbound bytes above which streams stop producing. Property {@code warren.tunnel.highWater}. */
    public static final int HIGH_WATER = Integer.getInteger("warren.tunnel.highWater", 1024 * 1024);
    /** Outbound bytes below which stalled streams resume. */
    public static final int LOW_WATER = HIGH_WATER / 4;
    /** Keepalive ping after this much silence; silence of twice this closes. Property {@code warren.tunnel.pingIntervalMs}. */
    public static final long PING_INTERVAL_NS =
        TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.tunnel.pingIntervalMs", 15_000));
    /** A handshake not done by then is dropped. Property {@code warren.tunnel.handshakeTimeoutMs}. */
    public static final long HANDSHAKE_TIMEOUT_NS =
        TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.tunnel.handshakeTimeoutMs", 10_000));
    /** For {@link #start(int)}: do not register the channel with the loop's selector. */
    protected static final int UNREGISTERED = -1;
    /** Round-trip estimate before the first pong. */
    private static final long DEFAULT_RTT_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Socket reads per readiness event, so one busy connection cannot starve the loop. */
    private static final int MAX_READS_PER_EVENT = 8;

    protected final System.Logger log;
    protected final EventLoop loop;
    protected final SocketChannel channel;
    protected final TunnelLimits localLimits;
    protected TunnelLimits peerLimits;
    protected SelectionKey key;

    protected final FrameDecoder decoder = new FrameDecoder();
    final OutboundQueue outbound;
    private final ByteBuffer readBuffer;
    private final UnsafeBuffer readView;
    private final ByteBuffer payloadView;
    /** TLS over {@link #channel}, or null for a plaintext tunnel. */
    private TlsChannel tls;
    /** Reads again on the next cycle what TLS decrypted but a capped read event left behind. */
    private final Runnable readAgain = this::readAgain;

    protected final Int2ObjectHashMap<TunnelStream> streams = new Int2ObjectHashMap<>();
    private final ArrayDeque<TunnelStream> stalled = new ArrayDeque<>();
    private final AtomicInteger openStreams = new AtomicInteger();

    long sendWindow;
    private long receiveCredit;
    private int receiveWindow;
    private int pendingConnectionCredit;

    protected boolean established;
    protected boolean closed;
    /** We sent GO_AWAY(none): we open or accept no new streams. Read by other threads (the edge's chooser). */
    private volatile boolean localGoingAway;
    /** The peer sent GO_AWAY(none). Read by other threads. */
    private volatile boolean peerGoingAway;
    /** Why we are draining, while {@link #holdsGoAway()} keeps our GO_AWAY back; null otherwise. */
    private String heldGoAway;
    private boolean flushScheduled;
    /** Drained: close as soon as everything queued (the GO_AWAY answer above all) has been written. */
    private boolean closeWhenFlushed;
    private boolean writable = true;
    private long rttNs = DEFAULT_RTT_NS;
    private long pingSentNs;
    private long lastReceiveNs;
    private long keepaliveTimer = -1;
    private long handshakeTimer = -1;
    /** Bytes read from the tunnel socket; loop thread only. */
    long bytesReceived;
    /** Times a stream had to stop producing for want of credit or outbound room; loop thread only. */
    long windowStalls;

    protected TunnelConnection(
        final EventLoop loop, final SocketChannel channel, final TunnelLimits localLimits, final System.Logger log)
    {
        this.loop = loop;
        this.channel = channel;
        this.localLimits = localLimits;
        this.log = log;
        this.outbound = new OutboundQueue(loop.bufferPool());
        final int readCapacity = Math.max(2 * (localLimits.maxFramePayload() + FrameHeader.LENGTH), 128 * 1024);
        this.readBuffer = ByteBuffer.allocateDirect(readCapacity);
        this.readView = new UnsafeBuffer(readBuffer);
        this.payloadView = readBuffer.duplicate();
        this.lastReceiveNs = System.nanoTime();
    }

    public final EventLoop loop()
    {
        return loop;
    }

    /** Any thread: streams open now, counting those reserved by callers and not yet sent. */
    public final int openStreams()
    {
        return openStreams.get();
    }

    /** Any thread: a caller reserves a slot before handing a stream to the loop. */
    public final void reserveStream()
    {
        openStreams.incrementAndGet();
    }

    public final void unreserveStream()
    {
        openStreams.decrementAndGet();
    }

    public final boolean isEstablished()
    {
        return established && !closed;
    }

    public final boolean isClosed()
    {
        return closed;
    }

    /** Any thread: either side has started to drain this connection; no new stream may use it. */
    public final boolean isDraining()
    {
        return localGoingAway || peerGoingAway;
    }

    /**
     * Loop thread. Starts a graceful drain (PROTOCOL.md §3): sends GO_AWAY(none) once; streams already open finish;
     * the connection closes when both sides have said GO_AWAY and no stream is left.
     */
    public final void goAway(final String reason)
    {
        if (closed || localGoingAway || heldGoAway != null)
        {
            return;
        }
        if (established && holdsGoAway())
        {
            heldGoAway = reason;
            return;
        }
        localGoingAway = true;
        if (established)
        {
            final PooledBuffer chunk = outbound.claim(TunnelFrameEncoder.MAX_CONTROL_FRAME_LENGTH);
            outbound.commit(chunk, TunnelFrameEncoder.goAway(chunk.view(), chunk.byteBuffer().limit(), WireCode.NONE,
                lastStreamId(), reason));
            scheduleFlush();
        }
        else
        {
            close(WireCode.NONE, reason, true);
            return;
        }
        closeIfDrained();
    }

    /**
     * Hook, loop thread: true while streams this side has promised to open have not been sent yet; our GO_AWAY then
     * waits for {@link #releaseGoAway()}, because an OPEN must never follow it. Asked once per drain.
     */
    protected boolean holdsGoAway()
    {
        return false;
    }

    /** Loop thread: the last promised OPEN went out; send the GO_AWAY that {@link #holdsGoAway()} held back. */
    protected final void releaseGoAway()
    {
        final String reason = heldGoAway;
        if (reason != null)
        {
            heldGoAway = null;
            goAway(reason);
        }
    }

    /**
     * Closes once both sides said GO_AWAY and no stream is left: the peer's GO_AWAY, received after any OPEN it sent,
     * proves no new stream is on its way.
     */
    private void closeIfDrained()
    {
        if (localGoingAway && peerGoingAway && streams.isEmpty() && !closed)
        {
            closeWhenFlushed = true;
            flush();
        }
    }

    public final int streamCount()
    {
        return streams.size();
    }

    public final TunnelStream stream(final int streamId)
    {
        return streams.get(streamId);
    }

    public final long rttNs()
    {
        return rttNs;
    }

    public final boolean isWritable()
    {
        return writable;
    }

    /** Bytes written to the tunnel socket: frames, headers included (like {@link #bytesReceived()}). */
    public final long bytesSent()
    {
        return outbound.totalWritten();
    }

    public final long bytesReceived()
    {
        return bytesReceived;
    }

    public final long windowStalls()
    {
        return windowStalls;
    }

    final int maxDataPayload()
    {
        return Math.min(peerLimits.maxFramePayload(), loop.bufferPool().chunkSize() - FrameHeader.LENGTH);
    }

    /**
     * Loop thread: registers with {@code ops} and arms the handshake timer. With {@link #UNREGISTERED} the channel
     * is not registered with the selector: a test drives {@link #onReady} itself over an in-memory channel, which
     * is how property tests push hundreds of thousands of hostile frame sequences through the real state machine.
     */
    protected final void start(final int ops) throws IOException
    {
        if (ops != UNREGISTERED)
        {
            key = loop.register(channel, ops, this);
        }
        handshakeTimer = loop.schedule(HANDSHAKE_TIMEOUT_NS, () ->
        {
            handshakeTimer = -1;
            if (!established)
            {
                close(WireCode.PROTOCOL_ERROR, "handshake not completed in time", true);
            }
        });
    }

    /** Subclasses call this when the handshake succeeded in both directions. */
    protected final void established(final TunnelLimits peerLimits)
    {
        this.peerLimits = peerLimits;
        this.established = true;
        this.sendWindow = peerLimits.connectionWindow();
        this.receiveWindow = localLimits.connectionWindow();
        this.receiveCredit = receiveWindow;
        decoder.maxFramePayload(localLimits.maxFramePayload());
        loop.cancel(handshakeTimer);
        handshakeTimer = -1;
        sendPing();
        armKeepalive();
    }

    // ---- TLS ---------------------------------------------------------------------------------------------------

    /** Before {@link #start}: run the tunnel over TLS with {@code engine} (client or server mode, configured). */
    protected final void secure(final SSLEngine engine)
    {
        tls = new TlsChannel(channel, engine);
    }

    /** @return the TLS channel when the tunnel is secured, else null. */
    protected final TlsChannel tls()
    {
        return tls;
    }

    /**
     * Advances the TLS handshake as far as the socket allows; once done, writes what was queued meanwhile and reads
     * what may already wait decrypted. A client calls it once connected, to send its hello; a server needs not.
     */
    protected final void advanceTls()
    {
        final int wait;
        try
        {
            wait = tls.handshake();
        }
        catch (final IOException ex)
        {
            final String reason = "TLS handshake failed: " + ex.getMessage();
            onTlsFailed(reason);
            close(WireCode.CONNECTION_TERMINATED, reason, false);
            return;
        }
        if (wait != 0)
        {
            if (key != null)
            {
                key.interestOps(wait);
            }
            return;
        }
        if (key != null)
        {
            key.interestOps(SelectionKey.OP_READ);
        }
        onTlsEstablished();
        flush();
        if (!closed)
        {
            onReadable();
        }
    }

    /** Hook: the TLS handshake is done; the tunnel handshake follows. */
    protected void onTlsEstablished()
    {
    }

    /** Hook: the TLS handshake failed (the connection closes next); says so in the log. */
    protected void onTlsFailed(final String reason)
    {
        log.log(System.Logger.Level.WARNING, () -> describe() + ": " + reason);
    }

    private void readAgain()
    {
        if (!closed)
        {
            onReadable();
        }
    }

    // ---- I/O ---------------------------------------------------------------------------------------------------

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (tls != null && !tls.isHandshakeDone())
        {
            advanceTls();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0)
        {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !closed)
        {
            onReadable();
        }
    }

    private void onReadable()
    {
        for (int i = 0; i < MAX_READS_PER_EVENT && !closed; i++)
        {
            final int read;
            try
            {
                read = tls == null ? channel.read(readBuffer) : tls.read(readBuffer);
            }
            catch (final IOException ex)
            {
                close(WireCode.CONNECTION_TERMINATED, "tunnel connection failed: " + ex.getMessage(), false);
                return;
            }
            if (read < 0)
            {
                close(WireCode.CONNECTION_TERMINATED, "tunnel connection closed by peer", false);
                return;
            }
            if (read == 0)
            {
                return;
            }
            lastReceiveNs = System.nanoTime();
            bytesReceived += read;
            if (!decodeReadBuffer())
            {
                return;
            }
            if (tls == null && readBuffer.hasRemaining())
            {
                return;
            }
        }
        if (tls != null && !closed && tls.hasBufferedInput())
        {
            loop.execute(readAgain); // decrypted records may wait with no socket readiness to announce them
        }
    }

    /** Decodes what the read buffer holds; false when the connection was closed on the way. */
    final boolean decodeReadBuffer()
    {
        int position = 0;
        final int limit = readBuffer.position();
        while (!closed)
        {
            final int consumed = decoder.decode(readView, position, limit - position, this);
            if (consumed == FrameDecoder.ERROR)
            {
                protocolError(decoder.errorCode(), decoder.errorReason());
                return false;
            }
            position += consumed;
            if (consumed == 0 || limit - position < FrameHeader.LENGTH)
            {
                break;
            }
        }
        if (closed)
        {
            return false;
        }
        readBuffer.limit(limit).position(position);
        readBuffer.compact();
        return true;
    }

    /**
     * The payload of the DATA frame being delivered as a {@link ByteBuffer} positioned on it, so a relay can write it
     * to a socket without copying. Valid only during {@link TunnelStream#onData}.
     */
    final ByteBuffer payloadView(final int offset, final int length)
    {
        payloadView.limit(offset + length).position(offset);
        return payloadView;
    }

    final void scheduleFlush()
    {
        if (!flushScheduled && !closed)
        {
            flushScheduled = true;
            loop.flushLater(this);
        }
    }

    @Override
    public void flush()
    {
        flushScheduled = false;
        if (closed)
        {
            return;
        }
        if (tls != null && !tls.isHandshakeDone())
        {
            return; // frames wait for the TLS handshake, which drives the key's interest meanwhile
        }
        final boolean drained;
        try
        {
            drained = tls == null ? outbound.writeTo(channel) : outbound.writeTo(tls) && tls.flush();
        }
        catch (final IOException ex)
        {
            close(WireCode.CONNECTION_TERMINATED, "tunnel write failed: " + ex.getMessage(), false);
            return;
        }
        if (drained && closeWhenFlushed)
        {
            close(WireCode.NONE, "drained", false);
            return;
        }
        if (key == null)
        {
            updateWritable();
            return;
        }
        final int ops = key.interestOps();
        if (drained)
        {
            if ((ops & SelectionKey.OP_WRITE) != 0)
            {
                key.interestOps(ops & ~SelectionKey.OP_WRITE);
            }
        }
        else if ((ops & SelectionKey.OP_WRITE) == 0)
        {
            key.interestOps(ops | SelectionKey.OP_WRITE);
        }
        updateWritable();
    }

    private void updateWritable()
    {
        final long queued = outbound.queuedBytes();
        if (writable && queued > HIGH_WATER)
        {
            writable = false;
        }
        else if (!writable && queued <= LOW_WATER)
        {
            writable = true;
            resumeStalled();
        }
    }

    // ---- streams -----------------------------------------------------------------------------------------------

    /** Adds a stream under its id with the handshake's initial windows. */
    protected final void addStream(final TunnelStream stream, final int streamId)
    {
        stream.id = streamId;
        stream.sendWindow = peerLimits.initialStreamWindow();
        stream.receiveWindow = localLimits.initialStreamWindow();
        stream.receiveCredit = stream.receiveWindow;
        streams.put(streamId, stream);
    }

    final void removeStream(final TunnelStream stream)
    {
        if (stream.ended)
        {
            return;
        }
        stream.ended = true;
        if (streams.remove(stream.id) != null)
        {
            openStreams.decrementAndGet();
        }
        if (stream.unconsumed > 0)
        {
            connectionConsumed((int)stream.unconsumed);
            stream.unconsumed = 0;
        }
        closeIfDrained();
    }

    final void stall(final TunnelStream stream)
    {
        stalled.addLast(stream);
    }

    private void resumeStalled()
    {
        for (int n = stalled.size(); n > 0 && writable && sendWindow > 0; n--)
        {
            final TunnelStream stream = stalled.pollFirst();
            stream.stalled = false;
            if (!stream.ended)
            {
                stream.onSendCredit();
            }
        }
    }

    /** True when {@code streamId} was opened on this connection at some point (it may have ended since). */
    protected abstract boolean wasOpened(int streamId);

    // ---- credit ------------------------------------------------------------------------------------------------

    final void connectionConsumed(final int length)
    {
        if (closed || !established)
        {
            return;
        }
        pendingConnectionCredit += length;
        if (pendingConnectionCredit >= receiveWindow >> 1)
        {
            final int credit = pendingConnectionCredit;
            pendingConnectionCredit = 0;
            receiveCredit += credit;
            sendWindowUpdate(0, credit);
        }
    }

    final void ensureReceiveWindow(final int atLeast)
    {
        if (receiveWindow < atLeast)
        {
            final int delta = atLeast - receiveWindow;
            receiveWindow = atLeast;
            receiveCredit += delta;
            sendWindowUpdate(0, delta);
        }
    }

    // ---- control frames out ------------------------------------------------------------------------------------

    final void sendWindowUpdate(final int streamId, final int credit)
    {
        final PooledBuffer chunk = outbound.claim(FrameHeader.LENGTH);
        outbound.commit(chunk, TunnelFrameEncoder.windowUpdate(chunk.view(), chunk.byteBuffer().limit(), streamId, credit));
        scheduleFlush();
    }

    final void sendReset(final int streamId, final int code, final String message)
    {
        final PooledBuffer chunk = outbound.claim(TunnelFrameEncoder.MAX_CONTROL_FRAME_LENGTH);
        outbound.commit(chunk, TunnelFrameEncoder.reset(chunk.view(), chunk.byteBuffer().limit(), streamId, code, message));
        scheduleFlush();
    }

    /** A scratch area of {@link TunnelFrameEncoder#MAX_CONTROL_FRAME_LENGTH} for a subclass's control frame. */
    protected final PooledBuffer claimControl()
    {
        return outbound.claim(TunnelFrameEncoder.MAX_CONTROL_FRAME_LENGTH);
    }

    protected final void commitControl(final PooledBuffer chunk, final int length)
    {
        outbound.commit(chunk, length);
        scheduleFlush();
    }

    private void sendPing()
    {
        pingSentNs = System.nanoTime();
        final PooledBuffer chunk = outbound.claim(FrameHeader.LENGTH + 8);
        outbound.commit(chunk, TunnelFrameEncoder.ping(chunk.view(), chunk.byteBuffer().limit(), false, pingSentNs));
        scheduleFlush();
    }

    private void armKeepalive()
    {
        keepaliveTimer = loop.schedule(PING_INTERVAL_NS, this::onKeepalive);
    }

    /**
     * Runs when a ping may be due or the peer may be dead: a ping after {@link #PING_INTERVAL_NS} of silence, death
     * after twice that. The next check is scheduled for exactly the next of those two moments, so a silent peer is
     * declared dead 2 × the interval (plus a timer tick) after the last frame it sent.
     */
    private void onKeepalive()
    {
        keepaliveTimer = -1;
        if (closed)
        {
            return;
        }
        final long now = System.nanoTime();
        final long silence = now - lastReceiveNs;
        if (silence >= 2 * PING_INTERVAL_NS)
        {
            close(WireCode.CONNECTION_TERMINATED, "peer silent for " + TimeUnit.NANOSECONDS.toMillis(silence) + " ms",
                true);
            return;
        }
        final long nextCheckIn;
        if (silence >= PING_INTERVAL_NS)
        {
            if (now - pingSentNs >= PING_INTERVAL_NS)
            {
                sendPing();
            }
            nextCheckIn = 2 * PING_INTERVAL_NS - silence;
        }
        else
        {
            nextCheckIn = PING_INTERVAL_NS - silence;
        }
        keepaliveTimer = loop.schedule(Math.max(1, nextCheckIn), this::onKeepalive);
    }

    // ---- frames in (shared) ------------------------------------------------------------------------------------

    @Override
    public int onData(final int streamId, final int flags, final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return STOP; // closed by an earlier frame of this read: ignore the rest
        }
        if (!established)
        {
            return unexpected("DATA");
        }
        if (length > receiveCredit)
        {
            decoder.reason("DATA beyond the connection window");
            return WireCode.PROTOCOL_ERROR;
        }
        receiveCredit -= length;
        final TunnelStream stream = streams.get(streamId);
        if (stream == null)
        {
            if (wasOpened(streamId))
            {
                connectionConsumed(length);
                return CONTINUE;
            }
            decoder.reason("DATA on stream " + streamId + " that was never opened");
            return WireCode.PROTOCOL_ERROR;
        }
        if (stream.remoteFinReceived)
        {
            decoder.reason("DATA after FIN on stream " + streamId);
            return WireCode.PROTOCOL_ERROR;
        }
        if (length > stream.receiveCredit)
        {
            decoder.reason("DATA beyond the window of stream " + streamId);
            return WireCode.PROTOCOL_ERROR;
        }
        stream.receiveCredit -= length;
        if (length > 0)
        {
            stream.unconsumed += length;
            stream.onData(buffer, offset, length);
        }
        if ((flags & FrameHeader.FLAG_FIN) != 0 && !stream.ended)
        {
            stream.remoteFinReceived = true;
            stream.onRemoteFin();
            if (stream.localFinSent && !stream.ended)
            {
                stream.onBothFinished();
            }
        }
        return CONTINUE;
    }

    @Override
    public int onWindowUpdate(final int streamId, final int credit)
    {
        if (closed)
        {
            return STOP; // closed by an earlier frame of this read: ignore the rest
        }
        if (!established)
        {
            return unexpected("WINDOW_UPDATE");
        }
        if (streamId == 0)
        {
            if (sendWindow + credit > FrameHeader.MAX_WINDOW)
            {
                decoder.reason("connection window overflow");
                return WireCode.PROTOCOL_ERROR;
            }
            sendWindow += credit;
            resumeStalled();
            return CONTINUE;
        }
        final TunnelStream stream = streams.get(streamId);
        if (stream == null)
        {
            if (wasOpened(streamId))
            {
                return CONTINUE;
            }
            decoder.reason("WINDOW_UPDATE on stream " + streamId + " that was never opened");
            return WireCode.PROTOCOL_ERROR;
        }
        if (stream.sendWindow + credit > FrameHeader.MAX_WINDOW)
        {
            decoder.reason("window overflow on stream " + streamId);
            return WireCode.PROTOCOL_ERROR;
        }
        stream.sendWindow += credit;
        if (stream.awaitingStreamCredit)
        {
            stream.awaitingStreamCredit = false;
            stream.onSendCredit();
        }
        return CONTINUE;
    }

    @Override
    public int onReset(final int streamId, final ResetDecoder reset)
    {
        if (closed)
        {
            return STOP; // closed by an earlier frame of this read: ignore the rest
        }
        if (!established)
        {
            return unexpected("RESET");
        }
        final TunnelStream stream = streams.get(streamId);
        if (stream == null)
        {
            if (wasOpened(streamId))
            {
                return CONTINUE;
            }
            decoder.reason("RESET on stream " + streamId + " that was never opened");
            return WireCode.PROTOCOL_ERROR;
        }
        removeStream(stream);
        stream.onReset(reset.code(), reset.message());
        return CONTINUE;
    }

    @Override
    public int onPing(final boolean ack, final long opaque)
    {
        if (closed)
        {
            return STOP; // closed by an earlier frame of this read: ignore the rest
        }
        if (!established)
        {
            return unexpected("PING");
        }
        if (ack)
        {
            if (opaque == pingSentNs)
            {
                final long rtt = System.nanoTime() - pingSentNs;
                rttNs = Math.max(1, rtt);
            }
            return CONTINUE;
        }
        final PooledBuffer chunk = outbound.claim(FrameHeader.LENGTH + 8);
        outbound.commit(chunk, TunnelFrameEncoder.ping(chunk.view(), chunk.byteBuffer().limit(), true, opaque));
        scheduleFlush();
        return CONTINUE;
    }

    @Override
    public int onGoAway(final GoAwayDecoder goAway)
    {
        if (closed)
        {
            return STOP; // closed by an earlier frame of this read: ignore the rest
        }
        final int code = goAway.code();
        if (code == WireCode.NONE && established)
        {
            peerGoingAway = true;
            onPeerGoingAway(goAway.message());
            goAway("answering the peer's GO_AWAY");
            closeIfDrained();
            return closed ? STOP : CONTINUE;
        }
        close(code == WireCode.NONE ? WireCode.CONNECTION_TERMINATED : code,
            "peer sent GO_AWAY(" + WireCode.name(code) + "): " + goAway.message(), false);
        return STOP;
    }

    /** Hook: the peer will open or accept no new streams; the ones open finish. This side answers GO_AWAY too. */
    protected void onPeerGoingAway(final String reason)
    {
    }

    protected final int unexpected(final String frame)
    {
        decoder.reason(frame + " not expected " + (established ? "here" : "before the handshake completed"));
        return WireCode.PROTOCOL_ERROR;
    }

    // ---- closing -----------------------------------------------------------------------------------------------

    private void protocolError(final int code, final String reason)
    {
        log.log(System.Logger.Level.WARNING, () -> describe() + ": " + WireCode.name(code) + ": " + reason);
        close(code, reason, true);
    }

    /**
     * Closes the connection: optionally tells the peer why, then fails every open stream with
     * {@code connection_terminated}. Idempotent.
     */
    public final void close(final int code, final String reason, final boolean sendGoAway)
    {
        if (closed)
        {
            return;
        }
        if (sendGoAway && channel.isConnected() && (tls == null || tls.isHandshakeDone()))
        {
            final PooledBuffer chunk = outbound.claim(TunnelFrameEncoder.MAX_CONTROL_FRAME_LENGTH);
            outbound.commit(chunk, TunnelFrameEncoder.goAway(chunk.view(), chunk.byteBuffer().limit(), code,
                lastStreamId(), reason));
            try
            {
                if (tls == null)
                {
                    outbound.writeTo(channel);
                }
                else
                {
                    outbound.writeTo(tls);
                }
            }
            catch (final IOException ignore)
            {
                // best effort: the connection is going anyway
            }
        }
        if (tls != null && tls.isHandshakeDone() && channel.isOpen())
        {
            tls.closeOutbound(); // close_notify, best effort: it never waits
        }
        closed = true;
        loop.cancel(keepaliveTimer);
        loop.cancel(handshakeTimer);
        if (key != null)
        {
            key.cancel();
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // nothing more to do
        }
        outbound.clear();
        stalled.clear();
        final ArrayList<TunnelStream> open = new ArrayList<>(streams.values());
        streams.clear();
        openStreams.set(0);
        final String message = "tunnel connection lost: " + reason;
        for (final TunnelStream stream : open)
        {
            stream.ended = true;
            stream.onTerminated(WireCode.CONNECTION_TERMINATED, message);
        }
        onClosed(code, reason);
    }

    /** Hook: the connection is closed and its streams failed. */
    protected abstract void onClosed(int code, String reason);

    /** The highest stream id this side has seen or opened, for GO_AWAY. */
    protected abstract int lastStreamId();

    /** For log lines. */
    protected abstract String describe();

    /**
     * For tests: the stream holding the most received-but-unconsumed bytes, as {@code {unconsumed, receiveWindow}}
     * ({@code {0, 0}} when there is none).
     */
    public final long[] fullestStream()
    {
        long[] fullest = {0, 0};
        for (final TunnelStream stream : streams.values())
        {
            if (stream.unconsumed >= fullest[0])
            {
                fullest = new long[]{stream.unconsumed, stream.receiveWindow};
            }
        }
        return fullest;
    }

    /** Loop thread; for diagnostics: each stream's flow-control state, and the connection's. */
    public final String describeStreams()
    {
        final StringBuilder out = new StringBuilder(describe()).append(" sendWindow=").append(sendWindow)
            .append(" writable=").append(writable).append(" stalled=").append(stalled.size())
            .append(" outbound=").append(outbound).append('\n');
        for (final TunnelStream stream : streams.values())
        {
            out.append("  stream ").append(stream.id).append(' ').append(stream.getClass().getSimpleName())
                .append(" sendWindow=").append(stream.sendWindow).append(" unconsumed=").append(stream.unconsumed)
                .append(" stalled=").append(stream.stalled).append(" awaitingCredit=")
                .append(stream.awaitingStreamCredit).append(" localFin=").append(stream.localFinSent)
                .append(" remoteFin=").append(stream.remoteFinReceived).append(' ').append(stream).append('\n');
        }
        return out.toString();
    }
}
