package dev.warren.engine.edge;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A {@code fetch:} listener (SPEC §6): HTTP/1.1 clients that are not Java reach a binding as if they called its
 * {@code fetch()}. On a VPC Service it is a reverse proxy: every request goes to the service's configured target
 * (its {@code httpPort}), whatever the request names. On a VPC Network it is a forward proxy: absolute-form requests
 * ({@code GET http://host:port/path}) go where they name, and {@code CONNECT host:port} becomes a {@code connect()},
 * so {@code curl -x} and any client with proxy settings work; the connector's allow-list decides.
 * Each accepted connection is an {@link HttpFrontDoorConnection}, on the loop that accepted it.
 * <p>
 * Accepts through a {@link FrontDoorAcceptor} per listening socket (one per loop where the system allows). The
 * fields are read by every loop's connections; {@link #slots} is thread-safe.
 */
final class HttpFrontDoor implements FrontDoorAcceptor.Door
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");

    final TunnelRegistry registry;
    final String tunnelId;
    final String bindingName;
    /** The service's target for a reverse proxy; null for a forward proxy (a VPC Network). */
    final HostPort serviceTarget;
    final BindingMetrics metrics;
    final String description;
    final ListenerSlots slots;
    /** The largest request body a client may send; 0 for no limit. */
    final long maxBodyBytes;
    /**
     * Every loop accepts its own clients: a client's first request then prefers a tunnel connection on its own loop
     * (no move). With one accepting loop, that loop's connections would get every new client's first request.
     */
    final boolean acceptsOnEveryLoop;
    /** Clients moved to another loop's tunnel connection between requests (a key cancel, a register, a hand-off). */
    final java.util.concurrent.atomic.LongAdder loopMoves = new java.util.concurrent.atomic.LongAdder();
    private final FrontDoorAcceptor[] acceptors;

    /** {@code servers[i]} is accepted on {@code loops[i]}. */
    HttpFrontDoor(
        final ServerSocketChannel[] servers, final EventLoop[] loops, final TunnelRegistry registry,
        final String tunnelId, final String bindingName, final HostPort serviceTarget, final BindingMetrics metrics,
        final int maxConnections, final long maxBodyBytes)
    {
        this.slots = new ListenerSlots(maxConnections);
        this.maxBodyBytes = maxBodyBytes;
        this.registry = registry;
        this.tunnelId = tunnelId;
        this.bindingName = bindingName;
        this.serviceTarget = serviceTarget;
        this.metrics = metrics;
        this.acceptsOnEveryLoop = servers.length > 1;
        this.acceptors = new FrontDoorAcceptor[servers.length];
        for (int i = 0; i < servers.length; i++)
        {
            acceptors[i] = new FrontDoorAcceptor(this, servers[i], loops[i]);
        }
        String listen;
        try
        {
            listen = String.valueOf(servers[0].getLocalAddress());
        }
        catch (final IOException ex)
        {
            listen = "?";
        }
        this.description = "listener " + listen + " -> fetch '" + bindingName + "'" +
            (serviceTarget == null ? " (forward proxy)" : " (reverse proxy to " + serviceTarget + ")");
    }

    boolean isForwardProxy()
    {
        return serviceTarget == null;
    }

    @Override
    public FrontDoorAcceptor[] acceptors()
    {
        return acceptors.clone();
    }

    @Override
    public String description()
    {
        return description;
    }

    @Override
    public void started()
    {
        LOG.log(INFO, () -> description + ": bound" + (acceptors.length > 1 ? " (" + acceptors.length +
            " sockets, one per event loop)" : ""));
    }

    @Override
    public void accepted(final SocketChannel client, final EventLoop loop)
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
