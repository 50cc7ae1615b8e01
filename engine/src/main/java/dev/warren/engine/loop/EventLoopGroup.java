package dev.warren.engine.loop;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link EventLoop}s, one thread each. Thread-safe: {@link #next()} may be called from any thread.
 */
public final class EventLoopGroup implements AutoCloseable
{
    /** Default number of loops: one per core. Property {@code warren.loops}. */
    public static final int DEFAULT_LOOPS = Integer.getInteger("warren.loops", Runtime.getRuntime().availableProcessors());

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    public EventLoopGroup(final String namePrefix, final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("at least one event loop is needed: " + count);
        }
        loops = new EventLoop[count];
        for (int i = 0; i < count; i++)
        {
            loops[i] = new EventLoop(namePrefix + "-" + i, new BufferPool()).start();
        }
    }

    public EventLoop next()
    {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    public EventLoop loop(final int index)
    {
        return loops[index];
    }

    public int size()
    {
        return loops.length;
    }

    /** @return the index of {@code loop} in this group, or -1. */
    public int indexOf(final EventLoop loop)
    {
        for (int i = 0; i < size(); i++)
        {
            if (loop(i) == loop)
            {
                return i;
            }
        }
        return -1;
    }

    /** True when {@code loop} is one of this group's. */
    public boolean owns(final EventLoop loop)
    {
        for (final EventLoop candidate : loops)
        {
            if (candidate == loop)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        for (final EventLoop loop : loops)
        {
            loop.close();
        }
    }
}
