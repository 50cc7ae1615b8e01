package dev.warren.engine.edge;

import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeDecoder;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.OpenAckDecoder;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.tunnel.TunnelConnection;
import dev.warren.engine.tunnel.TunnelStream;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The edge's end of a tunnel connection: answers the connector's handshake (PROTOCOL.md §2), then opens streams
 * for callers. Owned by its event loop; {@link #acceptsStreams()} and the inherited stream counter may be read
 * from any thread.
 */
final class EdgeTunnelConnection extends TunnelConnection implements TunnelRegistry.Candidate
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();
    private static final int PROTOCOL_VERSION = 1;

    private final TunnelRegistry registry;
    private final String remote;
    private final HandshakeGuard guard;
    private final java.net.InetAddress remoteAddress;
    private String tunnelId;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private int nextStreamId = 1;
    /** Set in {@link #admissions} once a drain began: no caller may reserve a stream on this connection any more. */
    private static final int ADMISSIONS_CLOSED = 1 << 30;
    /** Streams callers reserved and {@link #open} has not sent yet, plus {@link #ADMISSIONS_CLOSED}. Any thread. */
    private final AtomicInteger admissions = new AtomicInteger();

    EdgeTunnelConnection(
        final EventLoop loop, final SocketChannel channel, final TunnelLimits limits, final TunnelRegistry registry,
        final String remote)
    {
        this(loop, channel, limits, registry, remote, null, null);
    }

    /**
     * @param guard         told about failed authentications from {@code remoteAddress}; null for none.
     * @param remoteAddress the peer's address, for the guard.
     */
    EdgeTunnelConnection(
        final EventLoop loop, final SocketChannel channel, final TunnelLimits limits, final TunnelRegistry registry,
        final String remote, final HandshakeGuard guard, final java.net.InetAddress remoteAddress)
    {
        super(loop, channel, limits, LOG);
        this.registry = registry;
        this.remote = remote;
        this.guard = guard;
        this.remoteAddress = remoteAddress;
    }

    void start() throws IOException
    {
        start(SelectionKey.OP_READ);
    }

    /** Loop thread: as {@link #start()}, over TLS with {@code engine} (server mode); the client speaks first. */
    void startTls(final javax.net.ssl.SSLEngine engine) throws IOException
    {
        secure(engine);
        start(SelectionKey.OP_READ);
    }

    @Override
    protected void onTlsFailed(final String reason)
    {
        LOG.log(WARNING, () -> "connection from " + remote + " refused: " + reason +
            (reason.contains("nrecognized") || reason.contains("plaintext") ?
                " (a plaintext connector? this edge's tunnel is TLS)" : ""));
    }

    /** For property tests over an in-memory channel: arm timers without registering with the selector. */
    void startUnregistered() throws IOException
    {
        start(UNREGISTERED);
    }

    /** Any thread: established, not closed, not draining. */
    @Override
    public boolean acceptsStreams()
    {
        return isEstablished() && !isDraining() && (admissions.get() & ADMISSIONS_CLOSED) == 0;
    }

    /**
     * Any thread: promises a caller that the stream it hands to {@link #open} will be sent, so a drain that begins
     * meanwhile cannot fail it; false once a drain began (choose another connection).
     */
    boolean tryReserve()
    {
        while (true)
        {
            final int admitted = admissions.get();
            if ((admitted & ADMISSIONS_CLOSED) != 0 || !isEstablished())
            {
                return false;
            }
            if (admissions.compareAndSet(admitted, admitted + 1))
            {
                reserveStream();
                return true;
            }
        }
    }

    /** Loop thread, on a drain by either side: no more promises; hold our GO_AWAY until the promised OPENs are out. */
    @Override
    protected boolean holdsGoAway()
    {
        return (admissions.updateAndGet(admitted -> admitted | ADMISSIONS_CLOSED) & ~ADMISSIONS_CLOSED) != 0;
    }

    // ---- handshake ---------------------------------------------------------------------------------------------

    @Override
    public int onHandshake(final HandshakeDecoder handshake)
    {
        if (closed)
        {
            return STOP;
        }
        if (established)
        {
            return unexpected(FrameHeader.typeName(handshake.type()));
        }
        if (handshake.type() == FrameHeader.TYPE_HELLO && clientNonce == null)
        {
            if (handshake.minVersion() > PROTOCOL_VERSION || handshake.maxVersion() < PROTOCOL_VERSION)
            {
                LOG.log(WARNING, () -> "connector from " + remote + " speaks tunnel versions " +
                    handshake.minVersion() + ".." + handshake.maxVersion() + ", this edge " + PROTOCOL_VERSION);
                close(WireCode.UNSUPPORTED_VERSION, "this edge speaks tunnel version " + PROTOCOL_VERSION, true);
                return STOP;
            }
            tunnelId = handshake.tunnelId();
            clientNonce = handshake.nonce();
            serverNonce = new byte[TunnelFrameEncoder.NONCE_LENGTH];
            RANDOM.nextBytes(serverNonce);
            final PooledBuffer chunk = claimControl();
            commitControl(chunk, TunnelFrameEncoder.challenge(chunk.view(), chunk.byteBuffer().limit(),
                PROTOCOL_VERSION, serverNonce));
            return CONTINUE;
        }
        if (handshake.type() == FrameHeader.TYPE_AUTH && clientNonce != null)
        {
            return onAuth(handshake);
        }
        return unexpected(FrameHeader.typeName(handshake.type()));
    }

    private int onAuth(final HandshakeDecoder auth)
    {
        final byte[] token = registry.token(tunnelId);
        final byte[] proof = auth.proof();
        // An unknown tunnel and a wrong token get the same answer, after the same work.
        final byte[] expected = HandshakeProof.connectorProof(
            token != null ? token : serverNonce, tunnelId, clientNonce, serverNonce);
        if (token == null || !HandshakeProof.matches(expected, proof))
        {
            LOG.log(WARNING, () -> "connector from " + remote + " failed authentication for tunnel '" + tunnelId +
                "'; connection refused");
            if (guard != null)
            {
                guard.failed(remoteAddress);
            }
            close(WireCode.AUTH_FAILED, "authentication failed", true);
            return STOP;
        }
        final TunnelLimits peer = auth.limits();
        final String problem = peer.validate();
        if (problem != null)
        {
            decoder.reason("connector limits unusable: " + problem);
            return WireCode.PROTOCOL_ERROR;
        }
        final byte[] edgeProof = HandshakeProof.edgeProof(token, tunnelId, serverNonce, clientNonce);
        final PooledBuffer chunk = claimControl();
        commitControl(chunk, TunnelFrameEncoder.welcome(chunk.view(), chunk.byteBuffer().limit(), edgeProof,
            CONNECTION_IDS.incrementAndGet(), localLimits));
        established(peer);
        serverNonce = null;
        clientNonce = new byte[0];
        registry.add(tunnelId, this);
        LOG.log(INFO, () -> "connector connected: tunnel '" + tunnelId + "' from " + remote + " on " + loop.name());
        return STOP;
    }

    // ---- streams -----------------------------------------------------------------------------------------------

    /**
     * Loop thread: sends OPEN for a stream that {@link #tryReserve()} admitted. A drain that began after the
     * reservation does not stop it: our GO_AWAY waits for it (PROTOCOL.md §3).
     */
    <S extends TunnelStream & EdgeStream> void open(
        final S stream, final int kind, final String host, final int port, final int connectTimeoutMs)
    {
        open(stream, kind, host, port, connectTimeoutMs, 0, null);
    }

    /**
     * Loop thread: as {@link #open(TunnelStream, int, String, int, int)}, with OPEN flags and the TLS server name
     * that goes with {@link TunnelFrameEncoder#OPEN_TLS} (null without it).
     */
    <S extends TunnelStream & EdgeStream> void open(
        final S stream, final int kind, final String host, final int port, final int connectTimeoutMs,
        final int flags, final String serverName)
    {
        final int stillPromised = admissions.decrementAndGet() & ~ADMISSIONS_CLOSED;
        try
        {
            send(stream, kind, host, port, connectTimeoutMs, flags, serverName);
        }
        finally
        {
            if (stillPromised == 0)
            {
                releaseGoAway();
            }
        }
    }

    private <S extends TunnelStream & EdgeStream> void send(
        final S stream, final int kind, final String host, final int port, final int connectTimeoutMs,
        final int flags, final String serverName)
    {
        if (!isEstablished())
        {
            unreserveStream();
            stream.failBeforeOpen(WireCode.DESTINATION_UNAVAILABLE, "the chosen tunnel connection closed");
            return;
        }
        if (streamCount() >= peerLimits.maxConcurrentStreams())
        {
            unreserveStream();
            stream.failBeforeOpen(WireCode.CONNECTION_LIMIT_REACHED,
                "tunnel connection has " + streamCount() + " streams open, the connector's limit");
            return;
        }
        final int streamId = nextStreamId;
        nextStreamId += 2;
        addStream(stream, streamId);
        final PooledBuffer chunk = claimControl();
        commitControl(chunk, TunnelFrameEncoder.open(chunk.view(), chunk.byteBuffer().limit(), streamId, kind, host,
            port, connectTimeoutMs, flags, serverName));
        stream.onOpenSent();
    }

    @Override
    public int onOpenAck(final int streamId, final OpenAckDecoder ack)
    {
        if (closed)
        {
            return STOP;
        }
        if (!established)
        {
            return unexpected("OPEN_ACK");
        }
        final TunnelStream stream = stream(streamId);
        if (stream == null)
        {
            if (wasOpened(streamId))
            {
                return CONTINUE;
            }
            decoder.reason("OPEN_ACK for stream " + streamId + " that was never opened");
            return WireCode.PROTOCOL_ERROR;
        }
        if (!((EdgeStream)stream).onOpenAck(ack))
        {
            decoder.reason("second OPEN_ACK for stream " + streamId);
            return WireCode.PROTOCOL_ERROR;
        }
        return CONTINUE;
    }

    @Override
    protected boolean wasOpened(final int streamId)
    {
        return streamId > 0 && streamId < nextStreamId && (streamId & 1) == 1;
    }

    @Override
    protected int lastStreamId()
    {
        return nextStreamId == 1 ? 0 : nextStreamId - 2;
    }

    @Override
    protected void onPeerGoingAway(final String reason)
    {
        LOG.log(INFO, () -> "connector draining: tunnel '" + tunnelId + "' from " + remote + " (" + reason +
            "); no new streams on it, " + streamCount() + " in flight");
    }

    @Override
    protected void onClosed(final int code, final String reason)
    {
        if (tunnelId != null && established)
        {
            registry.remove(tunnelId, this);
            LOG.log(INFO, () -> "connector disconnected: tunnel '" + tunnelId + "' from " + remote + " (" + reason + ")");
        }
    }

    @Override
    protected String describe()
    {
        return "tunnel connection " + (tunnelId == null ? "?" : "'" + tunnelId + "'") + " from " + remote;
    }
}
