package dev.warren.engine.connector;

import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeDecoder;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.OpenDecoder;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.tunnel.TunnelConnection;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

/**
 * The connector's end of a tunnel connection: dials, proves the token (PROTOCOL.md §2), checks the edge's proof,
 * then accepts streams and relays each to a private host through an {@link OriginStream} on this same loop.
 * Owned by its event loop; not thread-safe.
 */
final class ConnectorTunnelConnection extends TunnelConnection
{
    private static final System.Logger LOG = System.getLogger("dev.warren.connector");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PROTOCOL_VERSION = 1;
    /** Finished http stream objects kept for reuse, at most this many a connection. */
    static final int MAX_SPARE_HTTP_STREAMS = 64;

    final TunnelDialer dialer;
    final ConnectorRuntime runtime;
    private final byte[] clientNonce = new byte[TunnelFrameEncoder.NONCE_LENGTH];
    private byte[] serverNonce;
    private int lastStreamId;
    /** The host of the last OPEN: most streams of a connection name the same one, decoded once. */
    private String lastHost;
    private boolean connected;
    /** Finished http stream objects for the next OPENs (see {@link #recycle}). */
    private final java.util.ArrayDeque<HttpOriginStream> spareHttpStreams = new java.util.ArrayDeque<>();

    ConnectorTunnelConnection(final TunnelDialer dialer, final EventLoop loop, final SocketChannel channel)
    {
        super(loop, channel, dialer.runtime.limits, LOG);
        this.dialer = dialer;
        this.runtime = dialer.runtime;
        if (runtime.tunnelTls != null)
        {
            secure(runtime.tunnelTls.newEngine());
        }
    }

    void begin() throws IOException
    {
        if (channel.isConnectionPending())
        {
            start(SelectionKey.OP_CONNECT);
        }
        else
        {
            start(SelectionKey.OP_READ);
            onConnected();
        }
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (!connected && (readyOps & SelectionKey.OP_CONNECT) != 0)
        {
            try
            {
                if (!channel.finishConnect())
                {
                    return;
                }
            }
            catch (final IOException ex)
            {
                close(WireCode.CONNECTION_TERMINATED, "cannot connect to the edge: " + ex.getMessage(), false);
                return;
            }
            key.interestOps(SelectionKey.OP_READ);
            onConnected();
            return;
        }
        super.onReady(readyOps);
    }

    private void onConnected()
    {
        connected = true;
        RANDOM.nextBytes(clientNonce);
        final PooledBuffer chunk = claimControl();
        commitControl(chunk, TunnelFrameEncoder.hello(chunk.view(), chunk.byteBuffer().limit(), PROTOCOL_VERSION,
            PROTOCOL_VERSION, runtime.config.tunnel(), clientNonce));
        if (tls() != null)
        {
            advanceTls(); // the HELLO above waits for the TLS handshake, which the client begins
        }
    }

    @Override
    protected void onTlsFailed(final String reason)
    {
        LOG.log(ERROR, () -> "refusing the edge " + runtime.config.edge() + " (connection " + dialer.index + "): " +
            reason + (reason.contains("nrecognized") || reason.contains("closed the connection during") ?
            " (is the edge's tunnel plaintext? this connector requires TLS)" : ""));
    }

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
        if (handshake.type() == FrameHeader.TYPE_CHALLENGE && serverNonce == null)
        {
            if (handshake.version() != PROTOCOL_VERSION)
            {
                decoder.reason("edge chose tunnel version " + handshake.version() + ", this connector speaks " +
                    PROTOCOL_VERSION);
                return WireCode.UNSUPPORTED_VERSION;
            }
            serverNonce = handshake.nonce();
            final byte[] proof = HandshakeProof.connectorProof(runtime.token, runtime.config.tunnel(), clientNonce,
                serverNonce);
            final PooledBuffer chunk = claimControl();
            commitControl(chunk, TunnelFrameEncoder.auth(chunk.view(), chunk.byteBuffer().limit(), proof, localLimits));
            return CONTINUE;
        }
        if (handshake.type() == FrameHeader.TYPE_WELCOME && serverNonce != null)
        {
            final byte[] expected = HandshakeProof.edgeProof(runtime.token, runtime.config.tunnel(), serverNonce,
                clientNonce);
            if (!HandshakeProof.matches(expected, handshake.proof()))
            {
                LOG.log(ERROR, () -> "edge " + runtime.config.edge() + " could not prove it holds the token of tunnel '" +
                    runtime.config.tunnel() + "'; refusing to relay for it");
                close(WireCode.AUTH_FAILED, "edge proof wrong", true);
                return STOP;
            }
            final TunnelLimits peer = handshake.limits();
            final String problem = peer.validate();
            if (problem != null)
            {
                decoder.reason("edge limits unusable: " + problem);
                return WireCode.PROTOCOL_ERROR;
            }
            established(peer);
            dialer.onEstablished();
            LOG.log(INFO, () -> "connected to edge " + runtime.config.edge() + " for tunnel '" +
                runtime.config.tunnel() + "' (connection " + dialer.index + " on " + loop.name() + ")");
            return STOP;
        }
        return unexpected(FrameHeader.typeName(handshake.type()));
    }

    @Override
    public int onOpen(final int streamId, final OpenDecoder open)
    {
        if (closed)
        {
            return STOP;
        }
        if (!established)
        {
            return unexpected("OPEN");
        }
        if (streamId <= lastStreamId || (streamId & 1) == 0)
        {
            decoder.reason("OPEN for stream " + streamId + " out of order (last " + lastStreamId + ")");
            return WireCode.PROTOCOL_ERROR;
        }
        lastStreamId = streamId;
        if (streamCount() >= localLimits.maxConcurrentStreams())
        {
            sendResetFor(streamId, WireCode.CONNECTION_LIMIT_REACHED,
                "connector has " + streamCount() + " streams open on this connection");
            return CONTINUE;
        }
        final String host = open.host(lastHost);
        lastHost = host;
        final int port = open.port();
        if (open.kind() == TunnelFrameEncoder.KIND_TCP)
        {
            runtime.metrics.streams.opened();
            final OriginStream stream = new OriginStream(this, host, port, open.connectTimeoutMs());
            reserveStream();
            addStream(stream, streamId);
            stream.begin();
            return CONTINUE;
        }
        if (open.kind() == TunnelFrameEncoder.KIND_HTTP)
        {
            runtime.metrics.streams.opened();
            final HttpOriginStream spare = spareHttpStreams.pollLast();
            final HttpOriginStream stream = spare != null ? spare : new HttpOriginStream(this, runtime.originPool(loop));
            stream.prepare(host, port, open.connectTimeoutMs(), open.serverName(), verification(open.verification()));
            reserveStream();
            addStream(stream, streamId);
            stream.begin();
            return CONTINUE;
        }
        sendResetFor(streamId, WireCode.REQUEST_INVALID, "stream kind " + open.kind() + " not supported");
        return CONTINUE;
    }

    private static dev.warren.api.CertVerification verification(final int wire)
    {
        switch (wire)
        {
            case TunnelFrameEncoder.OPEN_VERIFY_CA: return dev.warren.api.CertVerification.VERIFY_CA;
            case TunnelFrameEncoder.OPEN_VERIFY_DISABLED: return dev.warren.api.CertVerification.DISABLED;
            default: return dev.warren.api.CertVerification.VERIFY_FULL;
        }
    }

    /**
     * An http stream finished: its object carries a later one of this connection (no allocation per request), when
     * it {@link HttpOriginStream#isRecyclable() can} and fewer than {@link #MAX_SPARE_HTTP_STREAMS} wait.
     */
    void recycle(final HttpOriginStream stream)
    {
        if (!closed && spareHttpStreams.size() < MAX_SPARE_HTTP_STREAMS && stream.isRecyclable())
        {
            spareHttpStreams.addLast(stream);
        }
    }

    void sendOpenAck(final int streamId, final String remote, final String local)
    {
        final PooledBuffer chunk = claimControl();
        commitControl(chunk, TunnelFrameEncoder.openAck(chunk.view(), chunk.byteBuffer().limit(), streamId, remote,
            local));
    }

    private void sendResetFor(final int streamId, final int code, final String message)
    {
        runtime.metrics.streams.opened();
        runtime.metrics.streams.failed(code);
        final PooledBuffer chunk = claimControl();
        commitControl(chunk, TunnelFrameEncoder.reset(chunk.view(), chunk.byteBuffer().limit(), streamId, code, message));
    }

    @Override
    protected boolean wasOpened(final int streamId)
    {
        return streamId > 0 && streamId <= lastStreamId;
    }

    @Override
    protected int lastStreamId()
    {
        return lastStreamId;
    }

    @Override
    protected void onPeerGoingAway(final String reason)
    {
        LOG.log(INFO, () -> "edge " + runtime.config.edge() + " draining connection " + dialer.index + " (" + reason +
            "); " + streamCount() + " streams in flight");
    }

    @Override
    protected void onClosed(final int code, final String reason)
    {
        if (established)
        {
            runtime.metrics.folded(this);
        }
        else if (tls() == null && connected && reason.contains("closed by peer"))
        {
            LOG.log(System.Logger.Level.WARNING, () -> "the edge " + runtime.config.edge() + " closed the connection " +
                "before the tunnel handshake: is its tunnel TLS? this connector dials plaintext (insecure: true)");
        }
        dialer.lost(reason);
    }

    @Override
    protected String describe()
    {
        return "tunnel connection " + dialer.index + " to edge " + runtime.config.edge();
    }
}
