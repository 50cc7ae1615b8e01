package dev.warren.engine.edge;

import dev.warren.api.TunnelConfig;
import dev.warren.engine.loop.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tunnel id → token and live connector connections.
 * <p>
 * Thread-safe: loops add and remove connections as they authenticate and close; callers on any thread
 * {@link #choose} one for a new stream. Connection lists are copy-on-write: they change when a connector comes
 * or goes, and are read on every stream.
 */
final class TunnelRegistry
{
    private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
    private final EdgeMetrics metrics;

    /** Without metrics (tests that drive a connection alone). */
    TunnelRegistry(final List<TunnelConfig> configs)
    {
        this(configs, null);
    }

    TunnelRegistry(final List<TunnelConfig> configs, final EdgeMetrics metrics)
    {
        this.metrics = metrics;
        for (final TunnelConfig config : configs)
        {
            tunnels.put(config.id(), new Tunnel(config.id(), config.token().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** @return the token, or null for an unknown tunnel. */
    byte[] token(final String tunnelId)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        return tunnel == null ? null : tunnel.token;
    }

    void add(final String tunnelId, final EdgeTunnelConnection connection)
    {
        tunnels.get(tunnelId).live.add(connection);
    }

    /** Loop thread of {@code connection}: it closed; its counts are folded into the tunnel's closed totals. */
    void remove(final String tunnelId, final EdgeTunnelConnection connection)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        if (tunnel != null && tunnel.live.remove(connection) && metrics != null)
        {
            metrics.folded(tunnelId, connection);
        }
    }

    /** Live connections of one tunnel (a snapshot; empty for an unknown tunnel). */
    List<EdgeTunnelConnection> connections(final String tunnelId)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        return tunnel == null ? List.of() : tunnel.live;
    }

    java.util.List<EdgeTunnelConnection> allConnections()
    {
        final java.util.List<EdgeTunnelConnection> all = new java.util.ArrayList<>();
        for (final Tunnel tunnel : tunnels.values())
        {
            all.addAll(tunnel.live);
        }
        return all;
    }

    int liveConnections(final String tunnelId)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        return tunnel == null ? 0 : tunnel.live.size();
    }

    /**
     * Picks the connection for a new stream and reserves a stream slot on it: the fewest open streams, the caller's
     * loop as the tie-breaker, then the next in turn ({@link #pick}).
     *
     * @return null when the tunnel has no live connection.
     */
    EdgeTunnelConnection choose(final String tunnelId, final EventLoop callerLoop)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        if (tunnel == null)
        {
            return null;
        }
        // A connection whose reservation fails has begun to drain or closed, for good: the next pass skips it.
        EdgeTunnelConnection chosen;
        while ((chosen = pick(tunnel, callerLoop)) != null && !chosen.tryReserve())
        {
            Thread.onSpinWait();
        }
        return chosen;
    }

    /**
     * The connection with the fewest open streams; among those, one on the caller's loop (no thread hop); among
     * those, the next in turn from a cursor that advances on every pick, so short streams that leave every count at
     * zero still spread over all connections of all replicas.
     */
    private static EdgeTunnelConnection pick(final Tunnel tunnel, final EventLoop callerLoop)
    {
        final List<EdgeTunnelConnection> live = tunnel.live;
        final int count = live.size();
        if (count == 0)
        {
            return null;
        }
        final int start = Math.floorMod(tunnel.cursor.getAndIncrement(), count);
        EdgeTunnelConnection best = null;
        int bestOpen = Integer.MAX_VALUE;
        boolean bestOnCallerLoop = false;
        for (int i = 0; i < count; i++)
        {
            final EdgeTunnelConnection connection;
            try
            {
                connection = live.get((start + i) % count);
            }
            catch (final IndexOutOfBoundsException ex)
            {
                break; // the list shrank meanwhile: pick among what was seen
            }
            if (!connection.acceptsStreams())
            {
                continue;
            }
            final int open = connection.openStreams();
            final boolean onCallerLoop = callerLoop != null && connection.loop() == callerLoop;
            if (open < bestOpen || (open == bestOpen && onCallerLoop && !bestOnCallerLoop))
            {
                best = connection;
                bestOpen = open;
                bestOnCallerLoop = onCallerLoop;
            }
        }
        return best;
    }

    private static final class Tunnel
    {
        final String id;
        final byte[] token;
        final CopyOnWriteArrayList<EdgeTunnelConnection> live = new CopyOnWriteArrayList<>();
        /** Where the next pick starts looking, so ties rotate. */
        final java.util.concurrent.atomic.AtomicInteger cursor = new java.util.concurrent.atomic.AtomicInteger();

        Tunnel(final String id, final byte[] token)
        {
            this.id = id;
            this.token = token;
        }

        @Override
        public String toString()
        {
            return "Tunnel[" + id + "]";
        }
    }
}
