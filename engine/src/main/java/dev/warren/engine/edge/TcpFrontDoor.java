package dev.warren.engine.edge;

import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.loop.EventLoop;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

import java.io.IOException;
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
 * Accepts on every loop where the system allows ({@link FrontDoor}).
 */
final class TcpFrontDoor extends FrontDoor
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");

    private final HostPort target;

    /** {@code servers[i]} is accepted on {@code loops[i]}. */
    TcpFrontDoor(
        final ServerSocketChannel[] servers, final EventLoop[] loops, final TunnelRegistry registry,
        final String tunnelId, final String bindingName, final HostPort target, final BindingMetrics metrics,
        final int maxConnections)
    {
        super(servers, loops, registry, tunnelId, metrics, maxConnections, "'" + bindingName + "' " + target);
        this.target = target;
    }

    @Override
    void accepted(final SocketChannel client, final EventLoop loop)
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
        final EdgeTunnelConnection connection = chooseForNewClient(loop);
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
}
