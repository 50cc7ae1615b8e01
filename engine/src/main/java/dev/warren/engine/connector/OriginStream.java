package dev.warren.engine.connector;

import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.net.HostPort;
import dev.warren.engine.tunnel.SocketRelayStream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A tcp stream at the connector: checks the allow-list (before any DNS query where it can), dials the private host
 * without blocking, answers {@code OPEN_ACK} only once the host accepted, then relays ({@link SocketRelayStream}).
 * Data the edge sends before the host accepted waits in pooled chunks, within the stream's window.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
final class OriginStream extends SocketRelayStream
{
    private final ConnectorTunnelConnection tunnel;
    private final String host;
    private final int port;
    private final int requestedTimeoutMs;
    private boolean connecting;
    private long connectTimer = -1;

    OriginStream(final ConnectorTunnelConnection tunnel, final String host, final int port, final int requestedTimeoutMs)
    {
        super(tunnel);
        this.tunnel = tunnel;
        this.host = host;
        this.port = port;
        this.requestedTimeoutMs = requestedTimeoutMs;
    }

    @Override
    protected String describe()
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    void begin()
    {
        final AllowList allow = tunnel.runtime.allowList;
        if (HostPort.checkHost(host) != null)
        {
            fail(WireCode.REQUEST_INVALID, "invalid host '" + host + "'");
            return;
        }
        if (HostPort.isIpv4Literal(host) || HostPort.isIpv6Literal(host))
        {
            final InetAddress address = HostPort.literalAddress(host);
            if (!allow.permitsAddress(address, port))
            {
                fail(WireCode.DESTINATION_NOT_ALLOWED, describe() + " is not in the connector's allow-list");
                return;
            }
            dial(address);
            return;
        }
        final boolean byName = allow.permitsName(host, port);
        if (!byName && !allow.hasRangesFor(port))
        {
            fail(WireCode.DESTINATION_NOT_ALLOWED, describe() + " is not in the connector's allow-list");
            return;
        }
        tunnel.runtime.resolver.execute(() ->
        {
            try
            {
                final InetAddress[] addresses = InetAddress.getAllByName(host);
                loop.execute(() -> onResolved(addresses, byName));
            }
            catch (final UnknownHostException ex)
            {
                loop.execute(() ->
                {
                    if (!isEnded())
                    {
                        fail(WireCode.DNS_ERROR, "cannot resolve '" + host + "'");
                    }
                });
            }
        });
    }

    private void onResolved(final InetAddress[] addresses, final boolean byName)
    {
        if (isEnded())
        {
            return;
        }
        for (final InetAddress address : addresses)
        {
            if (byName || tunnel.runtime.allowList.permitsAddress(address, port))
            {
                dial(address);
                return;
            }
        }
        fail(WireCode.DESTINATION_NOT_ALLOWED, describe() + " resolves to " + addresses[0].getHostAddress() +
            ", which is not in the connector's allow-list");
    }

    private void dial(final InetAddress address)
    {
        final SocketChannel channel;
        final SelectionKey registered;
        try
        {
            channel = SocketChannel.open();
            socket = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final boolean connected = channel.connect(new InetSocketAddress(address, port));
            registered = loop.register(channel, connected ? 0 : SelectionKey.OP_CONNECT, this);
            key = registered;
            if (connected)
            {
                onConnected();
                return;
            }
        }
        catch (final IOException ex)
        {
            fail(WireCode.CONNECTION_REFUSED, "cannot connect to " + describe() + ": " + ex.getMessage());
            return;
        }
        connecting = true;
        final long configured = tunnel.runtime.config.connectTimeout().toMillis();
        final long timeoutMs = requestedTimeoutMs > 0 ? Math.min(requestedTimeoutMs, configured) : configured;
        connectTimer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(timeoutMs), () ->
        {
            connectTimer = -1;
            if (connecting)
            {
                fail(WireCode.CONNECTION_TIMEOUT, describe() + " did not answer within " + timeoutMs + " ms");
            }
        });
    }

    @Override
    protected void onSetupReady(final int readyOps)
    {
        if (!connecting || (readyOps & SelectionKey.OP_CONNECT) == 0)
        {
            return;
        }
        try
        {
            if (!socket.finishConnect())
            {
                return;
            }
        }
        catch (final ConnectException ex)
        {
            fail(WireCode.CONNECTION_REFUSED, describe() + " refused the connection");
            return;
        }
        catch (final IOException ex)
        {
            fail(WireCode.CONNECTION_REFUSED, "cannot connect to " + describe() + ": " + ex.getMessage());
            return;
        }
        onConnected();
    }

    private void onConnected()
    {
        connecting = false;
        loop.cancel(connectTimer);
        connectTimer = -1;
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
    protected void onFailed(final int code, final String message)
    {
        tunnel.runtime.metrics.streams.failed(code);
    }

    @Override
    protected void onSocketClosing()
    {
        connecting = false;
        loop.cancel(connectTimer);
        connectTimer = -1;
    }
}
