package dev.warren.bench;

import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.loop.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Handing a command from another thread to an engine {@link EventLoop} ({@link EventLoop#execute}: an MPSC queue
 * offer, plus a {@code Selector.wakeup()} when the loop is parked in {@code select}), as every public-API call does.
 * The command is one pre-allocated {@link Runnable} that increments a volatile counter on the loop thread; the
 * benchmark thread spins until it sees the count, so nothing is allocated by the benchmark itself.
 * <ul>
 *     <li>{@link #handOff()}: one command and wait for it: a full hand-off round trip. The loop has gone idle
 *     (parked in {@code select}) between ops, so each op pays a wake-up.</li>
 *     <li>{@link #burst16()}, {@link #burst256()}: 16 or 256 executes back to back, then wait for the last; score
 *     per command. At most one wake-up per burst, so this approaches the raw enqueue-and-run cost per command
 *     (the enqueue alone cannot be timed apart: the queue is unbounded, so a producer that never waits would
 *     only measure its growth).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Threads(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CommandQueueBenchmark
{
    static final int SMALL_BURST = 16;
    static final int LARGE_BURST = 256;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    EventLoop loop;
    /** Commands run so far; written only by the loop thread. */
    volatile long done;
    /** Commands executed so far; benchmark thread only. */
    long sent;
    final Runnable increment = () -> done = done + 1;

    @Setup(Level.Trial)
    public void setUp()
    {
        loop = new EventLoop("bench-loop", new BufferPool()).start();
        done = 0;
        sent = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        loop.close();
    }

    /** One command handed to the loop and seen done; ns per hand-off round trip. */
    @Benchmark
    public long handOff()
    {
        loop.execute(increment);
        return awaitDone(++sent);
    }

    /** {@value #SMALL_BURST} executes back to back, then wait for the last to run; score per command. */
    @Benchmark
    @OperationsPerInvocation(SMALL_BURST)
    public long burst16()
    {
        return burst(SMALL_BURST);
    }

    /** {@value #LARGE_BURST} executes back to back (the loop's command batch), then wait; score per command. */
    @Benchmark
    @OperationsPerInvocation(LARGE_BURST)
    public long burst256()
    {
        return burst(LARGE_BURST);
    }

    long burst(final int n)
    {
        final EventLoop target = loop;
        final Runnable command = increment;
        for (int i = 0; i < n; i++)
        {
            target.execute(command);
        }
        sent += n;
        return awaitDone(sent);
    }

    private long awaitDone(final long expected)
    {
        long seen;
        int spins = 0;
        long deadline = 0;
        while ((seen = done) < expected)
        {
            Thread.onSpinWait();
            if ((++spins & 0xFFFF) == 0)
            {
                final long now = System.nanoTime();
                if (deadline == 0)
                {
                    deadline = now + TIMEOUT_NS;
                }
                else if (now > deadline)
                {
                    throw new IllegalStateException("the loop ran " + seen + " of " + expected + " commands in 10 s");
                }
            }
        }
        return seen;
    }
}
