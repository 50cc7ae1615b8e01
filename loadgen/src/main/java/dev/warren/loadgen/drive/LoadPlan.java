package dev.warren.loadgen.drive;

import java.util.concurrent.TimeUnit;

/**
 * Everything a {@link LoadRun} does, as plain values. Immutable; thread-safe.
 *
 * @param pattern          what a request is.
 * @param size             bytes per request.
 * @param rate             requests per second for all connections together (open loop); 0 for a closed loop, where
 *                         each connection sends as soon as its previous request is complete.
 * @param connections      how many connections.
 * @param loops            how many event loops drive them (connection {@code i} lives on loop {@code i % loops}).
 * @param durationNs       the measured window.
 * @param warmupNs         before the window: load is sent but nothing is recorded.
 * @param timeoutNs        a request without its response this long after it was sent fails with {@code timeout}.
 * @param connectTimeoutNs a connection not open this long after it was started fails with {@code connect}.
 * @param verify           check the bytes that come back against those sent.
 * @param request          {@link TcpPattern#HTTP} only: the request sent; {@code size} is its length. Null otherwise.
 */
public record LoadPlan(
    TcpPattern pattern, int size, double rate, int connections, int loops, long durationNs, long warmupNs,
    long timeoutNs, long connectTimeoutNs, boolean verify, HttpRequestBytes request)
{
    public static final long DEFAULT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    public static final long DEFAULT_CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    public LoadPlan
    {
        if (pattern == null)
        {
            throw new IllegalArgumentException("pattern is required");
        }
        if ((pattern == TcpPattern.HTTP) != (request != null))
        {
            throw new IllegalArgumentException("an http plan, and only one, has a request");
        }
        if (request != null && size != request.size())
        {
            throw new IllegalArgumentException("size must be the request's length: " + size);
        }
        if (size < 1)
        {
            throw new IllegalArgumentException("size must be at least 1 byte: " + size);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate))
        {
            throw new IllegalArgumentException("rate must be positive (or 0 for a closed loop): " + rate);
        }
        if (connections < 1)
        {
            throw new IllegalArgumentException("connections must be at least 1: " + connections);
        }
        if (loops < 1 || loops > connections)
        {
            throw new IllegalArgumentException("loops must be 1.." + connections + " (one per connection at most): " +
                loops);
        }
        if (durationNs <= 0 || warmupNs < 0 || timeoutNs <= 0 || connectTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("duration, timeout and connect timeout must be positive, warm-up not " +
                "negative");
        }
    }

    /** A {@code loadgen tcp} plan. */
    public LoadPlan(
        final TcpPattern pattern, final int size, final double rate, final int connections, final int loops,
        final long durationNs, final long warmupNs, final long timeoutNs, final long connectTimeoutNs,
        final boolean verify)
    {
        this(pattern, size, rate, connections, loops, durationNs, warmupNs, timeoutNs, connectTimeoutNs, verify, null);
    }

    /** A {@code loadgen http} plan: every connection sends {@code request}. */
    public static LoadPlan http(
        final HttpRequestBytes request, final double rate, final int connections, final int loops,
        final long durationNs, final long warmupNs, final long timeoutNs, final long connectTimeoutNs)
    {
        return new LoadPlan(TcpPattern.HTTP, request.size(), rate, connections, loops, durationNs, warmupNs,
            timeoutNs, connectTimeoutNs, false, request);
    }

    /** Requests are sent at set times (a rate was given). */
    public boolean openLoop()
    {
        return rate > 0;
    }

    /** The number of requests the window should see: {@code rate × duration}, or 0 for a closed loop. */
    public long expectedRequests()
    {
        return openLoop() ? Math.round(rate * durationNs / 1e9) : 0;
    }
}
