package dev.warren.engine.edge;

import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.loop.EventLoop;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A {@code connect:} listener (SPEC §6): each accepted TCP connection becomes {@code connect(target)} on the
 * binding's tunnel, relayed both ways by a {@link FrontDoorStream} on the chosen tunnel connection's loop (the
 * accepting loop's own, when it has one taking streams and the listener accepts on every loop). With no live
 * connector the client is reset at once.
 * <p>
 * Accepts through a {@link FrontDoorAcceptor} per listening socket (one per loop where the system allows); the
 * fields are read by every loop; {@link #slots} is thread-safe.
 */
final class TcpFrontDoor implements FrontDoorAcceptor.Door
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");

    private final TunnelRegistry registry;
    private final String tunnelId;
    private final HostPort target;
    private final String description;
    private final BindingMetrics metrics;
    private final ListenerSlots slots;
    private final FrontDoorAcceptor[] acceptors;

    /** {@code servers[i]} is accepted on {@code loops[i]}. */
    TcpFrontDoor(
        final ServerSocketChannel[] servers, final EventLoop[] loops, final TunnelRegistry registry,
        final String tunnelId, final String bindingName, final HostPort target, final BindingMetrics metrics,
        final int maxConnections)
    {
        this.metrics = metrics;
        this.slots = new ListenerSlots(maxConnections);
        this.registry = registry;
        this.tunnelId = tunnelId;
        this.target = target;
        this.acceptors = new FrontDoorAcceptor[servers.length];
        for (int i = 0; i < servers.length; i++)
        {
            acceptors[i] = new FrontDoorAcceptor(this, servers[i], loops[i]);
        }
        this.description = "listener " + address(servers[0]) + " -> '" + bindingName + "' " + target;
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
        final EdgeTunnelConnection connection = acceptors.length > 1
            ? registry.chooseOnLoop(tunnelId, loop) : registry.choose(tunnelId, loop);
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
        if (connection.loop() == loop)
        {
            connection.open(stream, TunnelFrameEncoder.KIND_TCP, target.host(), target.port(), 0);
            return;
        }
        connection.loop().execute(() -> connection.open(
            stream, TunnelFrameEncoder.KIND_TCP, target.host(), target.port(), 0));
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
