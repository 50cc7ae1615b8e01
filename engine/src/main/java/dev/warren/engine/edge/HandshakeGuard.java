package dev.warren.engine.edge;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Rate limit on failed handshakes per source address (SPEC §7): after {@link #MAX_FAILURES} failed authentications
 * from one address within {@link #WINDOW_NS}, new tunnel connections from it are closed at once until the window
 * has passed, so guessing tokens costs real time. Memory is bounded: at most {@link #MAX_TRACKED} addresses are
 * tracked; past that, expired entries are dropped, and if none has expired the new address is not tracked (the
 * guard fails open for it rather than growing without bound).
 * <p>
 * Thread-safe: the accept loop asks, connection loops report.
 */
final class HandshakeGuard
{
    /** Failed handshakes tolerated per address per window, by default. Property {@code warren.edge.authFailures}. */
    static final int MAX_FAILURES = 10;
    /** The window, by default. Property {@code warren.edge.authWindowMs}. */
    static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(60);
    /** Addresses tracked at most. */
    static final int MAX_TRACKED = 10_000;

    private final int maxFailures;
    private final long windowNs;
    private final int maxTracked;
    private final LongSupplier clock;
    private final Map<InetAddress, Window> failures = new ConcurrentHashMap<>();

    /** With the defaults, or the properties as they are when the edge starts. */
    HandshakeGuard()
    {
        this(Integer.getInteger("warren.edge.authFailures", MAX_FAILURES),
            TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.edge.authWindowMs", TimeUnit.NANOSECONDS.toMillis(WINDOW_NS))),
            MAX_TRACKED, System::nanoTime);
    }

    HandshakeGuard(final int maxFailures, final long windowNs, final int maxTracked, final LongSupplier clock)
    {
        this.maxFailures = maxFailures;
        this.windowNs = windowNs;
        this.maxTracked = maxTracked;
        this.clock = clock;
    }

    /** @return false when {@code address} failed too often lately: close its new connection at once. */
    boolean allows(final InetAddress address)
    {
        final Window window = failures.get(address);
        if (window == null)
        {
            return true;
        }
        synchronized (window)
        {
            if (clock.getAsLong() - window.startNs >= windowNs)
            {
                failures.remove(address, window);
                return true;
            }
            return window.count < maxFailures;
        }
    }

    /** A handshake from {@code address} failed authentication. */
    void failed(final InetAddress address)
    {
        final long now = clock.getAsLong();
        if (!failures.containsKey(address) && failures.size() >= maxTracked)
        {
            evictExpired(now);
            if (failures.size() >= maxTracked)
            {
                return;
            }
        }
        final Window window = failures.computeIfAbsent(address, ignored -> new Window(now));
        synchronized (window)
        {
            if (now - window.startNs >= windowNs)
            {
                window.startNs = now;
                window.count = 0;
            }
            window.count++;
        }
    }

    int tracked()
    {
        return failures.size();
    }

    private void evictExpired(final long now)
    {
        for (final Iterator<Map.Entry<InetAddress, Window>> it = failures.entrySet().iterator(); it.hasNext();)
        {
            final Window window = it.next().getValue();
            synchronized (window)
            {
                if (now - window.startNs >= windowNs)
                {
                    it.remove();
                }
            }
        }
    }

    private static final class Window
    {
        long startNs;
        int count;

        Window(final long startNs)
        {
            this.startNs = startNs;
        }
    }
}
