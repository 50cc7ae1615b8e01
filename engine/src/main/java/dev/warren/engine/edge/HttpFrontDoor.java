package dev.warren.engine.edge;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.lang.System.Logger.Level.WARNING;

/**
 * A {@code fetch:} listener (SPEC §6): HTTP/1.1 clients that are not Java reach a binding as if they called its
 * {@code fetch()}. On a VPC Service it is a reverse proxy: every request goes to the service's configured target
 * (its {@code httpPort}), whatever the request names. On a VPC Network it is a forward proxy: absolute-form requests
 * ({@code GET http://host:port/path}) go where they name, and {@code CONNECT host:port} becomes a {@code connect()},
 * so {@code curl -x} and any client with proxy settings work; the connector's allow-list decides.
 * Each accepted connection is an {@link HttpFrontDoorConnection}, on the loop that accepted it.
 * <p>
 * Accepts on every loop where the system allows ({@link FrontDoor}).
 */
final class HttpFrontDoor extends FrontDoor
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");

    final String bindingName;
    /** The service's target for a reverse proxy; null for a forward proxy (a VPC Network). */
    final HostPort serviceTarget;
    /** The largest request body a client may send; 0 for no limit. */
    final long maxBodyBytes;
    /** Clients moved to another loop's tunnel connection between requests (a key cancel, a register, a hand-off). */
    final java.util.concurrent.atomic.LongAdder loopMoves = new java.util.concurrent.atomic.LongAdder();

    /** {@code servers[i]} is accepted on {@code loops[i]}. */
    HttpFrontDoor(
        final ServerSocketChannel[] servers, final EventLoop[] loops, final TunnelRegistry registry,
        final String tunnelId, final String bindingName, final HostPort serviceTarget, final BindingMetrics metrics,
        final int maxConnections, final long maxBodyBytes)
    {
        super(servers, loops, registry, tunnelId, metrics, maxConnections, "fetch '" + bindingName + "'" +
            (serviceTarget == null ? " (forward proxy)" : " (reverse proxy to " + serviceTarget + ")"));
        this.maxBodyBytes = maxBodyBytes;
        this.bindingName = bindingName;
        this.serviceTarget = serviceTarget;
    }

    boolean isForwardProxy()
    {
        return serviceTarget == null;
    }

    @Override
    void accepted(final SocketChannel client, final EventLoop loop)
    {
        try
        {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        catch (final IOException ex)
        {
            TcpFrontDoor.reset(client);
            return;
        }
        if (!slots.tryTake())
        {
            LOG.log(WARNING, () -> description + ": " + slots.max() + " connections open, the listener's " +
                "maxConnections; a client is turned away (503 connection_limit_reached)");
            metrics.streams().failed(dev.warren.codec.tunnel.WireCode.CONNECTION_LIMIT_REACHED);
            HttpFrontDoorConnection.answerAndClose(client, dev.warren.codec.tunnel.WireCode.CONNECTION_LIMIT_REACHED,
                description + " has " + slots.max() + " connections open (maxConnections)");
            return;
        }
        try
        {
            new HttpFrontDoorConnection(this, client, loop).start();
        }
        catch (final IOException ex)
        {
            TcpFrontDoor.reset(client);
            slots.release();
        }
    }
}
