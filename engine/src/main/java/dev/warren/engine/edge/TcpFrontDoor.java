package dev.warren.engine.edge;

import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A {@code connect:} listener (SPEC §6): each accepted TCP connection becomes {@code connect(target)} on the
 * binding's tunnel, relayed both ways by a {@link FrontDoorStream} on the chosen tunnel connection's loop. With no
 * live connector the client is reset at once.
 * <p>
 * Accepts on one event loop (its {@code acceptLoop}); not thread-safe.
 */
final class TcpFrontDoor implements IoHandler
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");
    private static final int MAX_ACCEPTS_PER_EVENT = 64;

    private final ServerSocketChannel server;
    private final EventLoop acceptLoop;
    private final TunnelRegistry registry;
    private final String tunnelId;
    private final HostPort target;
    private final String description;
    private final BindingMetrics metrics;
    private final ListenerSlots slots;
    private SelectionKey key;

    TcpFrontDoor(
        final ServerSocketChannel server, final EventLoop acceptLoop, final TunnelRegistry registry,
        final String tunnelId, final String bindingName, final HostPort target, final BindingMetrics metrics,
        final int maxConnections)
    {
        this.metrics = metrics;
        this.slots = new ListenerSlots(maxConnections);
        this.server = server;
        this.acceptLoop = acceptLoop;
        this.registry = registry;
        this.tunnelId = tunnelId;
        this.target = target;
        this.description = "listener " + address(server) + " -> '" + bindingName + "' " + target;
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
            }
            catch (final IOException ex)
            {
                LOG.log(WARNING, () -> description + ": accept failed: " + ex.getMessage());
                return;
            }
            if (client == null)
            {
                return;
            }
            hand(client);
        }
    }

    private void hand(final SocketChannel client)
    {
        final long acceptedNs = System.nanoTime();
        final String remote;
        try
        {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            remote = String.valueOf(client.getRemoteAddress());
        }
        catch (final IOException ex)
        {
            reset(client);
            return;
        }
        if (!slots.tryTake())
        {
            LOG.log(WARNING, () -> description + ": " + slots.max() + " connections open, the listener's " +
                "maxConnections; client " + remote + " reset (connection_limit_reached)");
            metrics.streams().failed(WireCode.CONNECTION_LIMIT_REACHED);
            reset(client);
            return;
        }
        final EdgeTunnelConnection connection = registry.choose(tunnelId, acceptLoop);
        if (connection == null)
        {
            LOG.log(INFO, () -> description + ": no connector connected for tunnel '" + tunnelId + "'; client " +
                remote + " reset (destination_unavailable)");
            metrics.streams().failed(WireCode.DESTINATION_UNAVAILABLE);
            reset(client);
            slots.release();
            return;
        }
        final FrontDoorStream stream = new FrontDoorStream(connection, client, description + " client " + remote,
            metrics, acceptedNs, slots::release);
        connection.loop().execute(() -> connection.open(
            stream, TunnelFrameEncoder.KIND_TCP, target.host(), target.port(), 0));
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    InetSocketAddress localAddress()
    {
        return address(server);
    }

    static void reset(final SocketChannel client)
    {
        try
        {
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.close();
        }
        catch (final IOException ignore)
        {
            // gone already
        }
    }

    private static InetSocketAddress address(final ServerSocketChannel server)
    {
        try
        {
            return (InetSocketAddress)server.getLocalAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
