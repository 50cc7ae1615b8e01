package dev.warren.engine.connector;

import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.EventLoopGroup;
import dev.warren.engine.metrics.MetricsSource;
import dev.warren.engine.metrics.PrometheusWriter;
import dev.warren.engine.metrics.StreamCounters;
import dev.warren.engine.metrics.TunnelTotals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connector's metrics: live tunnel connections, bytes and window stalls (read on each loop at scrape time, closed
 * connections folded into loop-owned {@link TunnelTotals}), streams opened and failed by code, dials refused by the
 * allow-list.
 * <p>
 * <b>Threading.</b> {@link #folded} and the stream counters run on the loops; the scrape runs on the metrics thread
 * and reads loop-owned state only in tasks submitted to each loop.
 */
final class ConnectorMetrics implements MetricsSource
{
    private static final long LOOP_READ_TIMEOUT_MS = 2_000;

    final StreamCounters streams = new StreamCounters();
    private final ConnectorRuntime runtime;
    private final EventLoopGroup loops;
    private final List<TunnelDialer> dialers;
    private final TunnelTotals[] closed;

    ConnectorMetrics(final ConnectorRuntime runtime, final EventLoopGroup loops, final List<TunnelDialer> dialers)
    {
        this.runtime = runtime;
        this.loops = loops;
        this.dialers = dialers;
        this.closed = TunnelTotals.perLoop(loops.size());
    }

    /** Loop thread of {@code connection}: an established connection closed; keep its counts. */
    void folded(final ConnectorTunnelConnection connection)
    {
        final int index = loops.indexOf(connection.loop());
        if (index >= 0)
        {
            closed[index].add(connection.bytesSent(), connection.bytesReceived(), connection.windowStalls());
        }
    }

    @Override
    public String notReady()
    {
        return runtime.liveConnections() > 0 ? null :
            "no live tunnel connection to edge " + runtime.config.edge() + " for tunnel '" + runtime.config.tunnel() +
            "'";
    }

    @Override
    public void writeMetrics(final PrometheusWriter writer)
    {
        final TunnelTotals totals = tunnelTotals();
        final String tunnel = runtime.config.tunnel();
        writer.family("warren_connector_live_connections", "gauge", "Established tunnel connections to the edge.")
            .sample("warren_connector_live_connections", runtime.liveConnections(), "tunnel", tunnel);
        writer.family("warren_connector_tunnel_bytes_received_total", "counter",
                "Bytes read from the tunnel connections (frames included).")
            .sample("warren_connector_tunnel_bytes_received_total", totals.bytesReceived, "tunnel", tunnel);
        writer.family("warren_connector_tunnel_bytes_sent_total", "counter",
                "Bytes written to the tunnel connections (frames included).")
            .sample("warren_connector_tunnel_bytes_sent_total", totals.bytesSent, "tunnel", tunnel);
        writer.family("warren_connector_window_stalls_total", "counter",
                "Times a stream stopped sending for want of window credit or tunnel outbound room.")
            .sample("warren_connector_window_stalls_total", totals.windowStalls, "tunnel", tunnel);
        writer.family("warren_connector_streams_opened_total", "counter", "Streams the edge opened (OPEN received).")
            .sample("warren_connector_streams_opened_total", streams.openedCount(), "tunnel", tunnel);
        writer.family("warren_connector_streams_failed_total", "counter", "Streams failed, by SPEC error code.");
        streams.writeFailed(writer, "warren_connector_streams_failed_total", "tunnel", tunnel);
        writer.family("warren_connector_dials_refused_total", "counter",
                "Destinations refused by the allow-list (destination_not_allowed).")
            .sample("warren_connector_dials_refused_total", streams.failedCount(WireCode.DESTINATION_NOT_ALLOWED),
                "tunnel", tunnel);
    }

    private TunnelTotals tunnelTotals()
    {
        final List<CompletableFuture<TunnelTotals>> reads = new ArrayList<>(loops.size());
        for (int i = 0; i < loops.size(); i++)
        {
            final int index = i;
            final EventLoop loop = loops.loop(i);
            reads.add(loop.submit(() -> readOnLoop(loop, index)));
        }
        final TunnelTotals sum = new TunnelTotals();
        for (final CompletableFuture<TunnelTotals> read : reads)
        {
            try
            {
                sum.add(read.get(LOOP_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("an event loop did not answer: " + ex, ex);
            }
        }
        return sum;
    }

    /** Loop {@code index}'s thread. */
    private TunnelTotals readOnLoop(final EventLoop loop, final int index)
    {
        final TunnelTotals share = new TunnelTotals();
        share.add(closed[index]);
        for (final TunnelDialer dialer : dialers)
        {
            final ConnectorTunnelConnection connection = dialer.loop == loop ? dialer.connection() : null;
            if (connection != null && connection.isEstablished())
            {
                share.add(connection.bytesSent(), connection.bytesReceived(), connection.windowStalls());
            }
        }
        return share;
    }
}
