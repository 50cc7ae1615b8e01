package dev.warren.engine.edge;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.metrics.BindingMetrics;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static java.lang.System.Logger.Level.INFO;

/**
 * A listener of the edge's config (SPEC §6): what {@link HttpFrontDoor} ({@code fetch:}) and {@link TcpFrontDoor}
 * ({@code connect:}) share. It accepts through one {@link FrontDoorAcceptor} per listening socket (one per loop where
 * the system allows) and is called back on the accepting loop. The fields are read by every loop; {@link #slots} is
 * thread-safe.
 */
abstract class FrontDoor
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");

    final TunnelRegistry registry;
    final String tunnelId;
    final BindingMetrics metrics;
    final ListenerSlots slots;
    /** "listener ADDRESS -> ...", for logs and errors. */
    final String description;
    /**
     * Every loop accepts its own clients: a client's first stream then prefers a tunnel connection on its own loop
     * ({@link TunnelRegistry#chooseOnLoop}). With one accepting loop, that loop's connections would get them all.
     */
    final boolean acceptsOnEveryLoop;
    private final FrontDoorAcceptor[] acceptors;

    /** {@code servers[i]} is accepted on {@code loops[i]}; {@code leads} follows "listener ADDRESS" in the description. */
    FrontDoor(
        final ServerSocketChannel[] servers, final EventLoop[] loops, final TunnelRegistry registry,
        final String tunnelId, final BindingMetrics metrics, final int maxConnections, final String leads)
    {
        this.registry = registry;
        this.tunnelId = tunnelId;
        this.metrics = metrics;
        this.slots = new ListenerSlots(maxConnections);
        this.description = "listener " + address(servers[0]) + " -> " + leads;
        this.acceptsOnEveryLoop = servers.length > 1;
        this.acceptors = new FrontDoorAcceptor[servers.length];
        for (int i = 0; i < servers.length; i++)
        {
            acceptors[i] = new FrontDoorAcceptor(this, servers[i], loops[i]);
        }
    }

    /**
     * Any thread: the tunnel connection for a new client's first stream, reserved; on {@code loop}, the loop that
     * accepted the client, when one there is eligible and every loop accepts. Null when no connector is connected.
     */
    final EdgeTunnelConnection chooseForNewClient(final EventLoop loop)
    {
        return acceptsOnEveryLoop ? registry.chooseOnLoop(tunnelId, loop) : registry.choose(tunnelId, loop);
    }

    /** On {@code loop}'s thread: {@code client} was just accepted there (still blocking, no options set). */
    abstract void accepted(SocketChannel client, EventLoop loop);

    /** One per listening socket. */
    final FrontDoorAcceptor[] acceptors()
    {
        return acceptors.clone();
    }

    /** Every acceptor has started: logs that the listener is bound. */
    final void started()
    {
        LOG.log(INFO, () -> description + ": bound" + (acceptors.length > 1 ? " (" + acceptors.length +
            " sockets, one per event loop)" : ""));
    }

    private static String address(final ServerSocketChannel server)
    {
        try
        {
            return String.valueOf(server.getLocalAddress());
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }
}
