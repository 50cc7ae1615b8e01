package dev.warren.engine.edge;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
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
 * Each accepted connection is an {@link HttpFrontDoorConnection}.
 * <p>
 * Accepts on one event loop; not thread-safe.
 */
final class HttpFrontDoor implements IoHandler
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");
    private static final int MAX_ACCEPTS_PER_EVENT = 64;

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
    private final ServerSocketChannel server;
    private final EventLoop acceptLoop;
    private SelectionKey key;

    HttpFrontDoor(
        final ServerSocketChannel server, final EventLoop acceptLoop, final TunnelRegistry registry,
        final String tunnelId, final String bindingName, final HostPort serviceTarget, final BindingMetrics metrics,
        final int maxConnections, final long maxBodyBytes)
    {
        this.slots = new ListenerSlots(maxConnections);
        this.maxBodyBytes = maxBodyBytes;
        this.server = server;
        this.acceptLoop = acceptLoop;
        this.registry = registry;
        this.tunnelId = tunnelId;
        this.bindingName = bindingName;
        this.serviceTarget = serviceTarget;
        this.metrics = metrics;
        String listen;
        try
        {
            listen = String.valueOf(server.getLocalAddress());
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

    /** Loop thread. */
    void start() throws IOException
    {
        key = acceptLoop.register(server, SelectionKey.OP_ACCEPT, this);
        LOG.log(INFO, () -> description + ": bound");
    }

    @Override
    public void onReady(final int readyOps)
    {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++)
        {
            final SocketChannel client;
            try
            {
                client = server.accept();
                if (client == null)
                {
                    return;
                }
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            catch (final IOException ex)
            {
                LOG.log(WARNING, () -> description + ": accept failed: " + ex.getMessage());
                return;
            }
            if (!slots.tryTake())
            {
                LOG.log(WARNING, () -> description + ": " + slots.max() + " connections open, the listener's " +
                    "maxConnections; a client is turned away (503 connection_limit_reached)");
                metrics.streams().failed(dev.warren.codec.tunnel.WireCode.CONNECTION_LIMIT_REACHED);
                HttpFrontDoorConnection.answerAndClose(client, dev.warren.codec.tunnel.WireCode.CONNECTION_LIMIT_REACHED,
                    description + " has " + slots.max() + " connections open (maxConnections)");
                continue;
            }
            try
            {
                new HttpFrontDoorConnection(this, client, acceptLoop).start();
            }
            catch (final IOException ex)
            {
                TcpFrontDoor.reset(client);
                slots.release();
            }
        }
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }
}
