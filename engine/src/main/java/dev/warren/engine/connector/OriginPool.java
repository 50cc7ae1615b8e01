package dev.warren.engine.connector;

import dev.warren.codec.http.HttpLimits;
import dev.warren.codec.http.HttpMessageTracker;
import dev.warren.engine.loop.EventLoop;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One event loop's idle keep-alive connections to private HTTP hosts, by destination ({@code host:port} as the
 * edge named it; for https followed by {@code tls}, the server name and the verification mode, so a TLS connection
 * is only reused for exactly the same ones): at most {@code maxIdle} per destination (cloudflared's {@code keepAliveConnections}, default 100),
 * each dropped after {@code idleTimeout} unused (its {@code keepAliveTimeout}, default 90 s). A stream takes the most
 * recently used one (warm, and the least likely to have been closed by the host), or dials a new one.
 * <p>
 * One per loop, so no locks: connections are registered with that loop's selector and used by streams of tunnel
 * connections on the same loop. Owned by the loop; not thread-safe, except the counters, which any thread may read.
 */
final class OriginPool
{
    private static final System.Logger LOG = System.getLogger("dev.warren.connector");

    private static final int MAX_SPARE_TRACKERS = 256;
    private static final int MAX_SPARE_REPLAY = 4096;

    private final EventLoop loop;
    private final int maxIdle;
    private final long idleTimeoutNs;
    private final Map<String, ArrayDeque<OriginConnection>> idle = new HashMap<>();
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    /** Trackers streams gave back, so a steady load allocates none. */
    private final ArrayDeque<HttpMessageTracker> requestTrackers = new ArrayDeque<>();
    private final ArrayDeque<HttpMessageTracker> responseTrackers = new ArrayDeque<>();
    /** Replay buffers streams gave back (see {@link HttpOriginStream}), at most {@link #MAX_SPARE_REPLAY} bytes each. */
    private final ArrayDeque<byte[]> replays = new ArrayDeque<>();
    private final KeyCacheEntry[] keyCache = new KeyCacheEntry[8];
    private int keyCacheNext;
    private volatile int idleCount;
    private volatile int openCount;
    private volatile long reuses;
    private volatile long dials;
    private boolean closed;

    OriginPool(final EventLoop loop, final int maxIdle, final long idleTimeoutNs)
    {
        this.loop = loop;
        this.maxIdle = maxIdle;
        this.idleTimeoutNs = idleTimeoutNs;
    }

    /**
     * The pool key of a destination: {@code host:port}, for https followed by {@code tls}, the server name and the
     * verification mode. The last few are remembered, so a steady load builds no string per request.
     */
    String keyFor(
        final String host, final int port, final String serverName, final dev.warren.api.CertVerification verification)
    {
        for (final KeyCacheEntry entry : keyCache)
        {
            if (entry != null && entry.port == port && entry.verification == verification && entry.host.equals(host) &&
                java.util.Objects.equals(entry.serverName, serverName))
            {
                return entry.key;
            }
        }
        final String key = serverName == null ? OriginDial.describe(host, port) : OriginDial.describe(host, port) +
            " tls " + serverName + " " + verification.name().toLowerCase(java.util.Locale.ROOT);
        keyCache[keyCacheNext] = new KeyCacheEntry(host, port, serverName, verification, key);
        keyCacheNext = (keyCacheNext + 1) % keyCache.length;
        return key;
    }

    private record KeyCacheEntry(
        String host, int port, String serverName, dev.warren.api.CertVerification verification, String key)
    {
    }

    /** @return the most recently released idle connection to {@code poolKey}, now in use; null when none. */
    OriginConnection take(final String poolKey)
    {
        final ArrayDeque<OriginConnection> connections = idle.get(poolKey);
        if (connections == null)
        {
            return null;
        }
        final OriginConnection connection = connections.pollLast();
        if (connection == null)
        {
            return null;
        }
        idleCount--;
        connection.idle = false; // its idle timer stays armed: when it fires, it finds the connection in use
        connection.key.interestOps(0);
        connection.exchanges++;
        reuses++;
        return connection;
    }

    /**
     * A stream dialed a new connection for {@code poolKey}; it is in use.
     *
     * @param tls the TLS layer of an https connection (its handshake may still be under way), or null.
     */
    OriginConnection opened(
        final String poolKey, final java.nio.channels.SocketChannel socket, final SelectionKey key, final String remote,
        final String local, final dev.warren.engine.tls.TlsChannel tls)
    {
        final OriginConnection connection = new OriginConnection(this, poolKey, socket, key, remote, local, tls);
        connection.exchanges = 1;
        openCount++;
        dials++;
        return connection;
    }

    /** The exchange on {@code connection} ended cleanly: keep it for the next one, or close it when full. */
    void release(final OriginConnection connection)
    {
        connection.user = null;
        if (connection.isClosed())
        {
            return;
        }
        final ArrayDeque<OriginConnection> connections = idle.computeIfAbsent(connection.poolKey, k -> new ArrayDeque<>());
        if (closed || connections.size() >= maxIdle)
        {
            connection.close(false);
            return;
        }
        connection.key.interestOps(SelectionKey.OP_READ);
        connections.addLast(connection);
        idleCount++;
        connection.idle = true;
        connection.idleSinceNs = System.nanoTime();
        if (connection.idleTimer == -1)
        {
            connection.idleTimer = loop.schedule(idleTimeoutNs, connection.idleCheck);
        }
    }

    /**
     * The idle timer of {@code connection} fired. It is armed once and re-armed only when it fires, for what is left
     * of the idle time since the last release, so a busy connection costs no timer per exchange.
     */
    void idleCheck(final OriginConnection connection)
    {
        connection.idleTimer = -1;
        if (!connection.idle || connection.isClosed())
        {
            return; // in use: the next release arms it again
        }
        final long left = connection.idleSinceNs + idleTimeoutNs - System.nanoTime();
        if (left <= 0)
        {
            drop(connection, "idle for " + idleTimeoutNs / 1_000_000 + " ms");
            return;
        }
        connection.idleTimer = loop.schedule(left, connection.idleCheck);
    }

    /** An idle connection is no longer usable: remove and close it. */
    void drop(final OriginConnection connection, final String why)
    {
        final ArrayDeque<OriginConnection> connections = idle.get(connection.poolKey);
        if (connections != null && connections.remove(connection))
        {
            idleCount--;
            connection.idle = false;
        }
        LOG.log(DEBUG, () -> "idle connection to " + connection.remote + " dropped: " + why);
        connection.close(false);
    }

    /** Called by {@link OriginConnection#close}. */
    void closed(final OriginConnection connection)
    {
        openCount--;
        connection.idle = false;
        loop.cancel(connection.idleTimer);
        connection.idleTimer = -1;
    }

    /** Loop thread: the connector is closing; every idle connection goes, and released ones will not be kept. */
    void close()
    {
        closed = true;
        for (final ArrayDeque<OriginConnection> connections : idle.values())
        {
            OriginConnection connection;
            while ((connection = connections.pollFirst()) != null)
            {
                idleCount--;
                loop.cancel(connection.idleTimer);
                connection.close(false);
            }
        }
    }

    HttpMessageTracker requestTracker()
    {
        final HttpMessageTracker tracker = requestTrackers.pollLast();
        return tracker != null ? tracker.reset() : HttpMessageTracker.requests(HttpLimits.DEFAULTS);
    }

    HttpMessageTracker responseTracker()
    {
        final HttpMessageTracker tracker = responseTrackers.pollLast();
        return tracker != null ? tracker.reset() : HttpMessageTracker.responses(HttpLimits.DEFAULTS);
    }

    /** A stream is done with its trackers. */
    void recycle(final HttpMessageTracker request, final HttpMessageTracker response)
    {
        if (requestTrackers.size() < MAX_SPARE_TRACKERS)
        {
            requestTrackers.addLast(request);
            responseTrackers.addLast(response);
        }
    }

    /** A buffer of at least {@code length} bytes for a request that may be sent again: a spare when one fits. */
    byte[] replayBuffer(final int length)
    {
        final byte[] spare = replays.pollLast();
        if (spare != null && spare.length >= length)
        {
            return spare;
        }
        return new byte[Math.max(1024, length)];
    }

    /** A stream is done with a replay buffer; small ones are kept (at most 256, 1 MiB a loop). */
    void recycleReplay(final byte[] replay)
    {
        if (replay.length <= MAX_SPARE_REPLAY && replays.size() < MAX_SPARE_TRACKERS)
        {
            replays.addLast(replay);
        }
    }

    ByteBuffer probe()
    {
        return probe;
    }

    /** Any thread: connections idle now. */
    int idleCount()
    {
        return idleCount;
    }

    /** Any thread: connections open now, idle or in use. */
    int openCount()
    {
        return openCount;
    }

    /** Any thread: exchanges that reused an idle connection. */
    long reuses()
    {
        return reuses;
    }

    /** Any thread: connections dialed. */
    long dials()
    {
        return dials;
    }
}
