package dev.warren.engine.connector;

import dev.warren.engine.tunnel.SocketRelayStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A tcp stream at the connector: dials the private host ({@link OriginDial}: allow-list, DNS, connect timeout),
 * answers {@code OPEN_ACK} only once the host accepted, then relays ({@link SocketRelayStream}). Data the edge
 * sends before the host accepted waits in pooled chunks, within the stream's window.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
final class OriginStream extends SocketRelayStream implements OriginDial.Outcome
{
    private final ConnectorTunnelConnection tunnel;
    private final String host;
    private final int port;
    private final OriginDial dial;

    OriginStream(final ConnectorTunnelConnection tunnel, final String host, final int port, final int requestedTimeoutMs)
    {
        super(tunnel);
        this.tunnel = tunnel;
        this.host = host;
        this.port = port;
        this.dial = new OriginDial(tunnel.runtime, loop, host, port, requestedTimeoutMs, this);
    }

    @Override
    protected String describe()
    {
        return OriginDial.describe(host, port);
    }

    void begin()
    {
        dial.start();
    }

    @Override
    public void connected(final SocketChannel socket, final SelectionKey key)
    {
        key.attach(this);
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
        tunnel.sendOpenAck(id(), remote, local);
        startRelay(socket, key);
    }

    @Override
    public void failed(final int wireCode, final String message)
    {
        if (!isEnded())
        {
            fail(wireCode, message);
        }
    }

    @Override
    protected void onFailed(final int code, final String message)
    {
        tunnel.runtime.metrics.streams.failed(code);
    }

    @Override
    protected void onSocketClosing()
    {
        dial.cancel();
    }
}
