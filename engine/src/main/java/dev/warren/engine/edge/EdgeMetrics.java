package dev.warren.engine.edge;

import dev.warren.api.TunnelConfig;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.EventLoopGroup;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.metrics.MetricsSource;
import dev.warren.engine.metrics.PrometheusWriter;
import dev.warren.engine.metrics.TunnelTotals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The edge's metrics: per tunnel, live connections and bytes and window stalls (read on each loop at scrape time,
 * closed connections folded into loop-owned {@link TunnelTotals}); per binding, {@link BindingMetrics}.
 * <p>
 * <b>Threading.</b> The maps are fixed at construction. {@link #folded} runs on the closing connection's loop; the
 * scrape ({@link #writeMetrics}, {@link #notReady}) runs on the metrics thread and reads loop-owned state only in
 * tasks submitted to each loop.
 */
final class EdgeMetrics implements MetricsSource
{
    /** How long a scrape waits for a loop to answer. */
    private static final long LOOP_READ_TIMEOUT_MS = 2_000;

    private final Map<String, TunnelTotals[]> closed = new LinkedHashMap<>();
    private final Map<String, BindingMetrics> bindings = new LinkedHashMap<>();
    private final int loopCount;
    private TunnelRegistry registry;
    private EventLoopGroup loops;

    EdgeMetrics(final List<TunnelConfig> tunnels, final int loopCount)
    {
        this.loopCount = loopCount;
        for (final TunnelConfig tunnel : tunnels)
        {
            closed.put(tunnel.id(), TunnelTotals.perLoop(loopCount));
        }
    }

    /** Called once while the edge starts, before any scrape. */
    void attach(final TunnelRegistry registry, final EventLoopGroup loops)
    {
        this.registry = registry;
        this.loops = loops;
    }

    BindingMetrics binding(final String name, final String tunnel)
    {
        return bindings.computeIfAbsent(name, n -> new BindingMetrics(n, tunnel));
    }

    /** Loop thread of {@code connection}: it closed after being registered; keep its counts. */
    void folded(final String tunnelId, final EdgeTunnelConnection connection)
    {
        final TunnelTotals[] totals = closed.get(tunnelId);
        final int index = loops == null ? -1 : loops.indexOf(connection.loop());
        if (totals != null && index >= 0)
        {
            totals[index].add(connection.bytesSent(), connection.bytesReceived(), connection.windowStalls());
        }
    }

    @Override
    public String notReady()
    {
        final List<String> missing = new ArrayList<>();
        for (final String tunnel : closed.keySet())
        {
            if (registry.liveConnections(tunnel) == 0)
            {
                missing.add(tunnel);
            }
        }
        return missing.isEmpty() ? null : "no live connector connection for tunnel(s) " + String.join(", ", missing);
    }

    @Override
    public void writeMetrics(final PrometheusWriter writer)
    {
        final Map<String, TunnelTotals> totals = tunnelTotals();
        writer.family("warren_edge_live_connections", "gauge", "Live, authenticated connector connections.");
        for (final String tunnel : closed.keySet())
        {
            writer.sample("warren_edge_live_connections", registry.liveConnections(tunnel), "tunnel", tunnel);
        }
        writer.family("warren_edge_tunnel_bytes_received_total", "counter",
            "Bytes read from the tunnel connections (frames included).");
        for (final Map.Entry<String, TunnelTotals> entry : totals.entrySet())
        {
            writer.sample("warren_edge_tunnel_bytes_received_total", entry.getValue().bytesReceived, "tunnel",
                entry.getKey());
        }
        writer.family("warren_edge_tunnel_bytes_sent_total", "counter",
            "Bytes written to the tunnel connections (frames included).");
        for (final Map.Entry<String, TunnelTotals> entry : totals.entrySet())
        {
            writer.sample("warren_edge_tunnel_bytes_sent_total", entry.getValue().bytesSent, "tunnel", entry.getKey());
        }
        writer.family("warren_edge_window_stalls_total", "counter",
            "Times a stream stopped sending for want of window credit or tunnel outbound room.");
        for (final Map.Entry<String, TunnelTotals> entry : totals.entrySet())
        {
            writer.sample("warren_edge_window_stalls_total", entry.getValue().windowStalls, "tunnel", entry.getKey());
        }
        writer.family("warren_edge_streams_opened_total", "counter", "Streams opened (OPEN sent) per binding.");
        for (final BindingMetrics binding : bindings.values())
        {
            writer.sample("warren_edge_streams_opened_total", binding.streams().openedCount(),
                "tunnel", binding.tunnel(), "binding", binding.name());
        }
        writer.family("warren_edge_streams_failed_total", "counter", "Streams failed, by SPEC error code.");
        for (final BindingMetrics binding : bindings.values())
        {
            binding.streams().writeFailed(writer, "warren_edge_streams_failed_total",
                "tunnel", binding.tunnel(), "binding", binding.name());
        }
        writer.family("warren_edge_connect_seconds", "histogram", "Time from connect() to the stream being opened.");
        for (final BindingMetrics binding : bindings.values())
        {
            binding.connectLatency().write(writer, "warren_edge_connect_seconds", "binding", binding.name());
        }
    }

    /** Per tunnel: closed totals plus live connections, each loop's share read on that loop. */
    private Map<String, TunnelTotals> tunnelTotals()
    {
        final List<CompletableFuture<Map<String, TunnelTotals>>> reads = new ArrayList<>(loopCount);
        for (int i = 0; i < loopCount; i++)
        {
            final int index = i;
            final EventLoop loop = loops.loop(i);
            reads.add(loop.submit(() -> readOnLoop(loop, index)));
        }
        final Map<String, TunnelTotals> sums = new LinkedHashMap<>();
        for (final String tunnel : closed.keySet())
        {
            sums.put(tunnel, new TunnelTotals());
        }
        for (final CompletableFuture<Map<String, TunnelTotals>> read : reads)
        {
            final Map<String, TunnelTotals> share;
            try
            {
                share = read.get(LOOP_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("an event loop did not answer: " + ex, ex);
            }
            for (final Map.Entry<String, TunnelTotals> entry : share.entrySet())
            {
                sums.get(entry.getKey()).add(entry.getValue());
            }
        }
        return sums;
    }

    /** Loop {@code index}'s thread. */
    private Map<String, TunnelTotals> readOnLoop(final EventLoop loop, final int index)
    {
        final Map<String, TunnelTotals> share = new LinkedHashMap<>();
        for (final Map.Entry<String, TunnelTotals[]> entry : closed.entrySet())
        {
            final TunnelTotals sum = new TunnelTotals();
            sum.add(entry.getValue()[index]);
            for (final EdgeTunnelConnection connection : registry.connections(entry.getKey()))
            {
                if (connection.loop() == loop && !connection.isClosed())
                {
                    sum.add(connection.bytesSent(), connection.bytesReceived(), connection.windowStalls());
                }
            }
            share.put(entry.getKey(), sum);
        }
        return share;
    }
}
