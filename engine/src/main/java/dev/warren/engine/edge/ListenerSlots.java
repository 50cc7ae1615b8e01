package dev.warren.engine.edge;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener's budget of client connections open at once ({@code maxConnections}). Taken on accept, given back
 * once by whoever closes the client's socket, on whatever loop that is. Thread-safe.
 */
final class ListenerSlots
{
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ListenerSlots(final int max)
    {
        this.max = max;
    }

    /** @return false when the listener is full: turn the client away. */
    boolean tryTake()
    {
        while (true)
        {
            final int now = open.get();
            if (now >= max)
            {
                return false;
            }
            if (open.compareAndSet(now, now + 1))
            {
                return true;
            }
        }
    }

    void release()
    {
        open.decrementAndGet();
    }

    int open()
    {
        return open.get();
    }

    int max()
    {
        return max;
    }
}
