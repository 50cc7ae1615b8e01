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
    private static final boolean PREFER_CALLER_LOOP = Boolean.getBoolean("warren.edge.preferCallerLoop");
    /** How many more open streams than the least busy a connection may have and still take its turn. */
    private static final int BALANCE_SLACK = Integer.getInteger("warren.edge.balanceSlack", 2);

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
        final Tunnel tunnel = tunnels.get(tunnelId);
        synchronized (tunnel)
        {
            tunnel.live.add(connection);
            tunnel.evenOverLoops = evenOverLoops(tunnel.live);
        }
    }

    /** Loop thread of {@code connection}: it closed; its counts are folded into the tunnel's closed totals. */
    void remove(final String tunnelId, final EdgeTunnelConnection connection)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        if (tunnel == null)
        {
            return;
        }
        final boolean removed;
        synchronized (tunnel)
        {
            removed = tunnel.live.remove(connection);
            tunnel.evenOverLoops = evenOverLoops(tunnel.live);
        }
        if (removed && metrics != null)
        {
            metrics.folded(tunnelId, connection);
        }
    }

    /**
     * True when every loop that holds any of {@code live} holds as many of them as each other such loop. Only then
     * does a preference for the caller's loop keep every connection's share equal: a loop's clients go to its own
     * connections in turn, and each loop gets its share of the clients, so each connection gets one share of one
     * loop's. With 3 connections over 2 loops, the lone one would get half of all clients.
     */
    static boolean evenOverLoops(final List<? extends Candidate> live)
    {
        final java.util.IdentityHashMap<EventLoop, Integer> perLoop = new java.util.IdentityHashMap<>();
        for (final Candidate connection : live)
        {
            perLoop.merge(connection.loop(), 1, Integer::sum);
        }
        return perLoop.values().stream().distinct().count() <= 1;
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
     * Picks the connection for a new stream and reserves a stream slot on it: the next in turn among those not much
     * busier than the least busy ({@link #pick}).
     *
     * @return null when the tunnel has no live connection.
     */
    EdgeTunnelConnection choose(final String tunnelId, final EventLoop callerLoop)
    {
        return reserve(tunnelId, PREFER_CALLER_LOOP ? callerLoop : null);
    }

    /**
     * Like {@link #choose(String, EventLoop)}, but the eligible connections on {@code callerLoop} take their turns
     * first (no thread hop for the caller): for a client that a front door accepted on that loop a moment ago, when
     * every loop accepts its own clients ({@link FrontDoorAcceptor}), so that clients arrive evenly on every loop.
     * Only while the tunnel's connections are spread evenly over the loops that hold them ({@link #evenOverLoops}):
     * then each connection, whichever replica's, still gets an equal share. The balance rule still holds: a
     * connection with more than {@link #BALANCE_SLACK} open streams above the least busy is passed over.
     */
    EdgeTunnelConnection chooseOnLoop(final String tunnelId, final EventLoop callerLoop)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        return reserve(tunnelId, tunnel != null && tunnel.evenOverLoops ? callerLoop : null);
    }

    /** The pick ({@link #pick}) with a stream slot reserved on it; null when the tunnel has no live connection. */
    private EdgeTunnelConnection reserve(final String tunnelId, final EventLoop preferredLoop)
    {
        final Tunnel tunnel = tunnels.get(tunnelId);
        if (tunnel == null)
        {
            return null;
        }
        // A connection whose reservation fails has begun to drain or closed, for good: the next pass skips it.
        EdgeTunnelConnection chosen;
        while ((chosen = pick(tunnel.live, tunnel.cursor, preferredLoop)) != null && !chosen.tryReserve())
        {
            Thread.onSpinWait();
        }
        return chosen;
    }

    /**
     * Like {@link #choose(String, EventLoop)}, but keeps {@code previous} (a front-door client's last connection) while
     * it takes streams and has at most {@link #stickyLimit} open streams: a keep-alive client then stays on one loop
     * instead of moving between loops per request. (Within the slack of the least busy alone was too tight: with 64
     * clients over 4 connections the counts wander by more than 2 all the time, and a client moved loops on about
     * every other request, two {@code epoll_ctl} calls each.) The caller asks for a fresh pick every so often
     * ({@code warren.edge.stickyRequests}), which keeps the replicas' shares even.
     *
     * @param previous the connection the caller used last, or null for a fresh pick.
     */
    EdgeTunnelConnection choose(final String tunnelId, final EventLoop callerLoop, final EdgeTunnelConnection previous)
    {
        if (previous != null && previous.acceptsStreams())
        {
            final Tunnel tunnel = tunnels.get(tunnelId);
            if (tunnel != null && previous.openStreams() <= stickyLimit(tunnel.live, previous) && previous.tryReserve())
            {
                return previous;
            }
        }
        return choose(tunnelId, callerLoop);
    }

    /**
     * The most open streams {@code previous} (a client's last connection) may have and keep the client: twice the
     * mean of the <i>other</i> connections taking streams, plus {@link #BALANCE_SLACK}; no limit when there is no
     * other. Under a closed-loop load a connection's open streams are about the clients it has, so the others' mean
     * is where they would all be; a connection with twice that loses its clients to the others, and one that is
     * slower than the rest (more requests in flight at once under an open-loop load) too. (A mean that counted
     * {@code previous} itself would never be crossed with two connections.) Twice the fewest (the bar before) was
     * crossed all the time by the counts' wander alone (a connection's clients are between requests at once now and
     * then): with 64 clients over 4 connections one request in five went to another connection, and half of those
     * to another loop (a key cancel, a register and a task hand-off each), for about 20% less throughput.
     */
    static int stickyLimit(final List<? extends Candidate> live, final Candidate previous)
    {
        long others = 0;
        int counted = 0;
        for (int i = 0, count = live.size(); i < count; i++)
        {
            final Candidate connection = at(live, i);
            if (connection != null && connection != previous && connection.acceptsStreams())
            {
                others += connection.openStreams();
                counted++;
            }
        }
        return counted == 0 ? Integer.MAX_VALUE : (int)(2 * others / counted) + BALANCE_SLACK;
    }

    /** The fewest open streams of any connection taking streams; {@code Integer.MAX_VALUE} when none does. */
    private static int fewestOpen(final List<? extends Candidate> live)
    {
        int fewest = Integer.MAX_VALUE;
        for (int i = 0, count = live.size(); i < count; i++)
        {
            final Candidate connection = at(live, i);
            if (connection != null && connection.acceptsStreams())
            {
                fewest = Math.min(fewest, connection.openStreams());
            }
        }
        return fewest;
    }

    /**
     * The next connection in turn, from a cursor that advances on every pick, whose open streams are within
     * {@link #BALANCE_SLACK} of the fewest any connection has. Round robin spreads short streams evenly over all
     * connections of all replicas; the slack keeps a connection that piles up long streams (or a slow replica whose
     * streams last longer) from getting more. Plain least-outstanding would send a little more to whichever replica
     * happens to be a little faster, and on a busy machine that compounds (74/26 between two replicas measured by
     * {@code bin/e2e-replicas}).
     * <p>
     * Given {@code preferredLoop}, the eligible connections on that loop (no thread hop for the caller) take this turn
     * among themselves, evenly whatever their places in {@code live}; null for none. It is the caller's loop for a
     * client just accepted there ({@link #chooseOnLoop}), or for every pick with
     * {@code warren.edge.preferCallerLoop=true} (off by default: keep-alive clients that all began on one loop would
     * then follow that loop's make-up of replicas).
     */
    static <C extends Candidate> C pick(
        final List<C> live, final java.util.concurrent.atomic.AtomicInteger cursor, final EventLoop preferredLoop)
    {
        final int count = live.size();
        if (count == 0)
        {
            return null;
        }
        final int fewest = fewestOpen(live);
        if (fewest == Integer.MAX_VALUE)
        {
            return null;
        }
        final int turn = cursor.getAndIncrement();
        if (preferredLoop != null)
        {
            final C local = nthOnLoop(live, preferredLoop, fewest, turn);
            if (local != null)
            {
                return local;
            }
        }
        final int start = Math.floorMod(turn, count);
        C leastBusy = null;
        int leastOpen = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final C connection = at(live, (start + i) % count);
            if (connection == null || !connection.acceptsStreams())
            {
                continue;
            }
            final int open = connection.openStreams();
            if (open < leastOpen)
            {
                leastOpen = open;
                leastBusy = connection;
            }
            if (open <= fewest + BALANCE_SLACK)
            {
                return connection;
            }
        }
        // Other loops open and end streams meanwhile: every count may have moved past the fewest seen a moment ago.
        // Then the least busy now serves; null only when no connection takes streams at all (a 503 at a front door
        // once in a few hundred thousand requests under wrk -c64, before this fallback).
        return leastBusy;
    }

    /**
     * The eligible connections on {@code loop} (taking streams, within the slack of {@code fewest}) in turn: the
     * {@code turn}-th of them, modulo their number, so that each gets an equal share whatever their places in
     * {@code live}; null when there is none (or the counts moved between the two passes).
     */
    private static <C extends Candidate> C nthOnLoop(
        final List<C> live, final EventLoop loop, final int fewest, final int turn)
    {
        int eligible = 0;
        for (int i = 0, count = live.size(); i < count; i++)
        {
            final C connection = at(live, i);
            if (connection != null && connection.loop() == loop && connection.acceptsStreams() &&
                connection.openStreams() <= fewest + BALANCE_SLACK)
            {
                eligible++;
            }
        }
        if (eligible == 0)
        {
            return null;
        }
        int nth = Math.floorMod(turn, eligible);
        for (int i = 0, count = live.size(); i < count; i++)
        {
            final C connection = at(live, i);
            if (connection != null && connection.loop() == loop && connection.acceptsStreams() &&
                connection.openStreams() <= fewest + BALANCE_SLACK && nth-- == 0)
            {
                return connection;
            }
        }
        return null;
    }

    /** {@code live.get(index)}, or null when the list shrank meanwhile. */
    private static <C> C at(final List<C> live, final int index)
    {
        try
        {
            return live.get(index);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return null;
        }
    }

    /** What the chooser reads of a connection: {@link EdgeTunnelConnection}, or a stand-in in a test. */
    interface Candidate
    {
        /** Any thread: established, not draining, not closed. */
        boolean acceptsStreams();

        /** Any thread: streams open on it now. */
        int openStreams();

        EventLoop loop();
    }

    private static final class Tunnel
    {
        final String id;
        final byte[] token;
        final CopyOnWriteArrayList<EdgeTunnelConnection> live = new CopyOnWriteArrayList<>();
        /** Where the next pick starts looking, so ties rotate. */
        final java.util.concurrent.atomic.AtomicInteger cursor = new java.util.concurrent.atomic.AtomicInteger();
        /** Whether each loop holding connections holds as many as each other ({@link #evenOverLoops}). */
        volatile boolean evenOverLoops = true;

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
