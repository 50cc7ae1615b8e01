package dev.warren.engine.metrics;

/**
 * What one edge binding counts: streams opened (OPEN sent), streams failed by code, and the time from
 * {@code connect()} (or a front-door accept) to the stream being opened. Thread-safe; updated once per stream.
 */
public final class BindingMetrics
{
    /** For streams made outside a binding (tests): counted, never written. */
    public static final BindingMetrics UNCOUNTED = new BindingMetrics("", "");

    private final String name;
    private final String tunnel;
    private final StreamCounters streams = new StreamCounters();
    private final ConnectLatency connectLatency = new ConnectLatency();

    public BindingMetrics(final String name, final String tunnel)
    {
        this.name = name;
        this.tunnel = tunnel;
    }

    public String name()
    {
        return name;
    }

    public String tunnel()
    {
        return tunnel;
    }

    public StreamCounters streams()
    {
        return streams;
    }

    public ConnectLatency connectLatency()
    {
        return connectLatency;
    }
}
