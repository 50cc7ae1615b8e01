package dev.warren.engine.connector;

import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.net.HostPort;

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
 * One dial of a private host: the allow-list check (before any DNS query where it can), name resolution off the
 * loop, and a non-blocking connect bounded by the connector's connect timeout (or less, when the caller asked).
 * Exactly one of {@link Outcome#connected} and {@link Outcome#failed} is called, unless {@link #cancel()} came
 * first. On success the socket is registered with the loop with no interest and this dial as its handler: the
 * receiver attaches its own.
 * <p>
 * Owned by one event loop; not thread-safe.
 */
final class OriginDial implements IoHandler
{
    /** What the dial ends in; called on the loop. */
    interface Outcome
    {
        void connected(SocketChannel socket, SelectionKey key);

        void failed(int wireCode, String message);
    }

    private final ConnectorRuntime runtime;
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int requestedTimeoutMs;
    private final Outcome outcome;
    private SocketChannel socket;
    private SelectionKey key;
    private long connectTimer = -1;
    private boolean done;

    OriginDial(
        final ConnectorRuntime runtime, final EventLoop loop, final String host, final int port,
        final int requestedTimeoutMs, final Outcome outcome)
    {
        this.runtime = runtime;
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.requestedTimeoutMs = requestedTimeoutMs;
        this.outcome = outcome;
    }

    /** {@code host:port}, IPv6 in brackets. */
    static String describe(final String host, final int port)
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private String describe()
    {
        return describe(host, port);
    }

    void start()
    {
        final AllowList allow = runtime.allowList;
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
        runtime.resolver.execute(() ->
        {
            try
            {
                final InetAddress[] addresses = InetAddress.getAllByName(host);
                loop.execute(() -> onResolved(addresses, byName));
            }
            catch (final UnknownHostException ex)
            {
                loop.execute(() -> fail(WireCode.DNS_ERROR, "cannot resolve '" + host + "'"));
            }
        });
    }

    /** Abandons the dial: closes a socket being connected; no outcome is reported. Idempotent. */
    void cancel()
    {
        if (done)
        {
            return;
        }
        done = true;
        loop.cancel(connectTimer);
        connectTimer = -1;
        if (socket != null)
        {
            if (key != null)
            {
                key.cancel();
            }
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // abandoning anyway
            }
        }
    }

    private void onResolved(final InetAddress[] addresses, final boolean byName)
    {
        if (done)
        {
            return;
        }
        for (final InetAddress address : addresses)
        {
            if (byName || runtime.allowList.permitsAddress(address, port))
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
        if (done)
        {
            return;
        }
        try
        {
            socket = SocketChannel.open();
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final boolean connected = socket.connect(new InetSocketAddress(address, port));
            key = loop.register(socket, connected ? 0 : SelectionKey.OP_CONNECT, this);
            if (connected)
            {
                succeed();
                return;
            }
        }
        catch (final IOException ex)
        {
            fail(WireCode.CONNECTION_REFUSED, "cannot connect to " + describe() + ": " + ex.getMessage());
            return;
        }
        final long configured = runtime.config.connectTimeout().toMillis();
        final long timeoutMs = requestedTimeoutMs > 0 ? Math.min(requestedTimeoutMs, configured) : configured;
        connectTimer = loop.schedule(TimeUnit.MILLISECONDS.toNanos(timeoutMs), () ->
        {
            connectTimer = -1;
            fail(WireCode.CONNECTION_TIMEOUT, describe() + " did not answer within " + timeoutMs + " ms");
        });
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (done || (readyOps & SelectionKey.OP_CONNECT) == 0)
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
        succeed();
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    private void succeed()
    {
        done = true;
        loop.cancel(connectTimer);
        connectTimer = -1;
        key.interestOps(0);
        outcome.connected(socket, key);
    }

    private void fail(final int code, final String message)
    {
        if (done)
        {
            return;
        }
        cancel();
        outcome.failed(code, message);
    }
}
