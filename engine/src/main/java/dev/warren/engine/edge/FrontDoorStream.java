package dev.warren.engine.edge;

import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.tunnel.SocketRelayStream;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static java.lang.System.Logger.Level.INFO;

/**
 * A front-door client's TCP connection relayed over a stream: the client socket is registered on the tunnel
 * connection's loop, so the relay never crosses threads. The client's bytes flow as soon as OPEN is sent (within
 * the stream's window); when the stream fails, the client's connection is reset, never closed cleanly.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
final class FrontDoorStream extends SocketRelayStream implements EdgeStream
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");

    private final SocketChannel client;
    private final String description;
    private final BindingMetrics metrics;
    private final long startNs;
    /** Gives the listener's slot back; run once, when the client's socket closes. */
    private Runnable release;

    FrontDoorStream(final EdgeTunnelConnection connection, final SocketChannel client, final String description,
        final BindingMetrics metrics, final long startNs, final Runnable release)
    {
        super(connection);
        this.release = release;
        this.metrics = metrics;
        this.startNs = startNs;
        this.client = client;
        this.description = description;
    }

    @Override
    protected String describe()
    {
        return description;
    }

    @Override
    public void onOpenSent()
    {
        metrics.streams().opened();
        try
        {
            final SelectionKey registered = loop.register(client, 0, this);
            startRelay(client, registered);
        }
        catch (final IOException ex)
        {
            fail(WireCode.CONNECTION_TERMINATED, "front-door client gone: " + ex.getMessage());
        }
    }

    @Override
    public void failBeforeOpen(final int wireCode, final String reason)
    {
        socket = client;
        closeSocket(true);
        onFailed(wireCode, reason);
    }

    @Override
    public boolean onOpenAck(final dev.warren.codec.tunnel.OpenAckDecoder ack)
    {
        metrics.connectLatency().record(System.nanoTime() - startNs);
        return true;
    }

    @Override
    protected void onSocketClosing()
    {
        final Runnable slot = release;
        release = null;
        if (slot != null)
        {
            slot.run();
        }
    }

    @Override
    protected void onFailed(final int code, final String message)
    {
        metrics.streams().failed(code);
        LOG.log(INFO, () -> description + ": stream failed: " + WireCode.name(code) + ": " + message +
            "; client connection reset");
    }
}
