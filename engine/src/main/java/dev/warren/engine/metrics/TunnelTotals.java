package dev.warren.engine.metrics;

/**
 * Byte and stall counts of one tunnel's connections that have closed on one event loop. Each tunnel keeps one per
 * loop; only that loop writes it (when a connection closes) and a scrape reads it in a task on that same loop,
 * together with the live connections there, so a connection is counted exactly once, live or folded.
 * <p>
 * Owned by its event loop; not thread-safe.
 */
public final class TunnelTotals
{
    public long bytesSent;
    public long bytesReceived;
    public long windowStalls;

    public void add(final long sent, final long received, final long stalls)
    {
        bytesSent += sent;
        bytesReceived += received;
        windowStalls += stalls;
    }

    public void add(final TunnelTotals other)
    {
        add(other.bytesSent, other.bytesReceived, other.windowStalls);
    }

    /** Loop-owned totals, one per loop. */
    public static TunnelTotals[] perLoop(final int loops)
    {
        final TunnelTotals[] totals = new TunnelTotals[loops];
        for (int i = 0; i < loops; i++)
        {
            totals[i] = new TunnelTotals();
        }
        return totals;
    }
}
