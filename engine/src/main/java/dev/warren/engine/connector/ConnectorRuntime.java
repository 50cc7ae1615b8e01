package dev.warren.engine.connector;

import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.EventLoopGroup;
import dev.warren.engine.metrics.MetricsServer;
import dev.warren.engine.tls.ConnectorTlsContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;

/**
 * A running connector: {@code haConnections} {@link TunnelDialer}s spread over the event loops, the allow-list,
 * and a small resolver pool (the JDK resolves names only by blocking, which must never happen on a loop).
 * Thread-safe.
 */
public final class ConnectorRuntime implements Connector
{
    private static final System.Logger LOG = System.getLogger("dev.warren.connector");

    final ConnectorConfig config;
    final byte[] token;
    final AllowList allowList;
    final TunnelLimits limits = TunnelLimits.DEFAULTS;
    final ExecutorService resolver;
    private final EventLoopGroup loops;
    private final List<TunnelDialer> dialers = new ArrayList<>();
    private volatile boolean closed;
    final ConnectorMetrics metrics;
    private volatile MetricsServer metricsServer;
    /** Keep-alive connections to private HTTP hosts, one pool per loop, by loop index. */
    private final OriginPool[] originPools;
    /** Trust and engines for https to private hosts. */
    final OriginTlsContext originTls;
    /** Engines for TLS to the edge; null for a plaintext tunnel ({@code insecure}). */
    final ConnectorTlsContext tunnelTls;

    private ConnectorRuntime(final ConnectorConfig config)
    {
        this.config = config;
        this.token = config.token().getBytes(StandardCharsets.UTF_8);
        this.allowList = AllowList.parse(config.allow());
        this.originTls = new OriginTlsContext(config.originCaFile());
        this.tunnelTls = config.tls() == null ? null : new ConnectorTlsContext(config.tls(), config.edge());
        this.resolver = Executors.newFixedThreadPool(2, runnable ->
        {
            final Thread thread = new Thread(runnable, "warren-connector-resolver");
            thread.setDaemon(true);
            return thread;
        });
        this.loops = new EventLoopGroup("warren-connector",
            config.eventLoops() == 0 ? EventLoopGroup.DEFAULT_LOOPS : config.eventLoops());
        this.originPools = new OriginPool[loops.size()];
        for (int i = 0; i < originPools.length; i++)
        {
            originPools[i] = new OriginPool(loops.loop(i), config.keepAliveConnections(),
                config.keepAliveTimeout().toNanos());
        }
        this.metrics = new ConnectorMetrics(this, loops, dialers);
    }

    public static ConnectorRuntime start(final ConnectorConfig config)
    {
        final ConnectorRuntime connector = new ConnectorRuntime(config);
        if (connector.allowList.isEmpty())
        {
            LOG.log(System.Logger.Level.WARNING, "connector allow-list is empty: every destination will be refused");
        }
        for (int i = 0; i < config.haConnections(); i++)
        {
            final EventLoop loop = connector.loops.loop(i % connector.loops.size());
            final TunnelDialer dialer = new TunnelDialer(connector, loop, i);
            connector.dialers.add(dialer);
            loop.execute(dialer::dial);
        }
        if (config.metricsListen() != null)
        {
            try
            {
                connector.metricsServer = MetricsServer.start(config.metricsListen(), "warren-connector-metrics",
                    connector.metrics);
            }
            catch (final java.io.IOException ex)
            {
                connector.close();
                throw new java.io.UncheckedIOException("cannot bind metricsListen " + config.metricsListen() + ": " +
                    ex.getMessage(), ex);
            }
        }
        if (connector.tunnelTls == null)
        {
            LOG.log(System.Logger.Level.WARNING, () -> "INSECURE: connector for tunnel '" + config.tunnel() +
                "' dials the edge " + config.edge() + " over a PLAINTEXT tunnel (insecure: true): the edge is not " +
                "authenticated by a certificate and everything relayed can be read on the network; configure tls: " +
                "(caFile or pin) for anything but development");
        }
        LOG.log(INFO, () -> "connector for tunnel '" + config.tunnel() + "' dialing " + config.edge() + " with " +
            config.haConnections() + " connections" + (connector.tunnelTls == null ? " (plaintext)" :
            " over TLS, verifying " + describe(config.tls(), connector.tunnelTls)));
        return connector;
    }

    private static String describe(final dev.warren.api.ConnectorTlsConfig tls, final ConnectorTlsContext context)
    {
        return (tls.caFile() == null ? "" : "against " + tls.caFile() + " as '" + context.peerHost() + "'") +
            (tls.caFile() != null && tls.pin() != null ? " and " : "") +
            (tls.pin() == null ? "" : "the pin " + tls.pin()) + ", " + tls.minVersion() +
            (dev.warren.api.TlsConfig.TLS_1_2.equals(tls.minVersion()) ? " or later" : " only");
    }

    boolean isClosed()
    {
        return closed;
    }

    /** Full-jitter back-off: uniform in [0, min(max, base * 2^attempt)). */
    long backoffNs(final int attempt)
    {
        final long base = config.reconnectBase().toNanos();
        final long max = config.reconnectMax().toNanos();
        final long ceiling = attempt >= 30 ? max : Math.min(max, base << attempt);
        return ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
    }

    @Override
    public java.net.InetSocketAddress metricsAddress()
    {
        final MetricsServer server = metricsServer;
        return server == null ? null : server.address();
    }

    @Override
    public int liveConnections()
    {
        int live = 0;
        for (final TunnelDialer dialer : dialers)
        {
            if (dialer.isLive())
            {
                live++;
            }
        }
        return live;
    }

    /** Streams open on this connector's tunnel connections now (read on each loop). */
    public int openStreams()
    {
        int open = 0;
        for (final TunnelDialer dialer : dialers)
        {
            open += dialer.loop.submit(dialer::streamCount).join();
        }
        return open;
    }

    /** Any thread: streams the edge has opened on this connector (OPEN received), since start. */
    public long streamsOpened()
    {
        return metrics.streams.openedCount();
    }

    /** For diagnostics: every stream's flow-control state, read on each loop. */
    public String describeStreams()
    {
        final StringBuilder out = new StringBuilder();
        for (final TunnelDialer dialer : dialers)
        {
            out.append(dialer.loop.submit(dialer::describeStreams).join());
        }
        return out.toString();
    }

    /** For tests: the stream holding the most unconsumed bytes, as {@code {unconsumed, receiveWindow}}. */
    public long[] fullestStream()
    {
        long[] fullest = {0, 0};
        for (final TunnelDialer dialer : dialers)
        {
            final long[] candidate = dialer.loop.submit(dialer::fullestStream).join();
            if (candidate[0] >= fullest[0])
            {
                fullest = candidate;
            }
        }
        return fullest;
    }

    /** Loop thread of {@code loop}: that loop's pool of keep-alive connections to private HTTP hosts. */
    OriginPool originPool(final EventLoop loop)
    {
        return originPools[loops.indexOf(loop)];
    }

    /** Any thread: connections to private HTTP hosts open now, idle or in use, and of those idle. */
    public int[] originConnections()
    {
        int open = 0;
        int idle = 0;
        for (final OriginPool pool : originPools)
        {
            open += pool.openCount();
            idle += pool.idleCount();
        }
        return new int[] {open, idle};
    }

    /** Any thread: HTTP exchanges that reused a pooled connection, and connections dialed for HTTP. */
    public long[] originReuses()
    {
        long reuses = 0;
        long dials = 0;
        for (final OriginPool pool : originPools)
        {
            reuses += pool.reuses();
            dials += pool.dials();
        }
        return new long[] {reuses, dials};
    }

    /** For tests: the loops, to inspect their pools. */
    public EventLoopGroup loops()
    {
        return loops;
    }

    @Override
    public CompletableFuture<Void> drain(final java.time.Duration grace)
    {
        LOG.log(INFO, () -> "connector for tunnel '" + config.tunnel() + "' draining (grace " + grace.toMillis() +
            " ms)");
        final CompletableFuture<?>[] each = new CompletableFuture<?>[dialers.size()];
        for (int i = 0; i < dialers.size(); i++)
        {
            final TunnelDialer dialer = dialers.get(i);
            each[i] = dialer.loop.submit(() -> dialer.drain(grace.toNanos())).thenCompose(f -> f);
        }
        return CompletableFuture.allOf(each);
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (metricsServer != null)
        {
            metricsServer.close();
        }
        for (final TunnelDialer dialer : dialers)
        {
            dialer.loop.submit(() ->
            {
                dialer.close();
                return null;
            }).join();
        }
        for (int i = 0; i < originPools.length; i++)
        {
            final OriginPool pool = originPools[i];
            loops.loop(i).submit(() ->
            {
                pool.close();
                return null;
            }).join();
        }
        loops.close();
        resolver.shutdownNow();
        try
        {
            resolver.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LOG.log(INFO, () -> "connector for tunnel '" + config.tunnel() + "' stopped");
    }
}
