package dev.warren.loadgen.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes event loops when their next open-loop request is due. The engine's timer wheel ticks every ~8 ms, far too
 * coarse to pace requests microseconds apart, so one thread for the whole run does it: each loop publishes the
 * earliest due time of its waiting connections in a {@link Signal}; the pacer parks until shortly before the earliest
 * of them, spins the last {@link #SPIN_NS} (a park overshoots by tens of microseconds), and then offers that loop its
 * preallocated command. The loop sends everything due and publishes its next time; the pacer spins until it has
 * (a loop publishing an earlier time than before unparks the pacer, a later one does not). How late a request still goes out
 * (the pacer's and the loop's wake-up) is part of its measured latency, as it should be.
 * <p>
 * <b>Threading.</b> {@link #signal} is called before {@link #start}; {@link Signal#publish} by the signal's loop only;
 * {@link #close} by any thread. The pacer thread reads the signals and writes nothing but its own bookkeeping.
 */
public final class Pacer implements AutoCloseable
{
    /** How long before a due time the pacer stops parking and spins. Property {@code warren.loadgen.pacerSpinNs}. */
    public static final long SPIN_NS = Long.getLong("warren.loadgen.pacerSpinNs", TimeUnit.MICROSECONDS.toNanos(100));
    /** Longest park, so that a lost wake-up costs at most this. */
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A loop poked for a due time and still showing it this long after is poked again. */
    private static final long REPOKE_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<Signal> signals = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public Pacer(final String name)
    {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** One per loop: {@code onDue} is offered to {@code loop} when the time the loop published is reached. */
    public Signal signal(final Executor loop, final Runnable onDue)
    {
        final Signal signal = new Signal(loop, onDue);
        signals.add(signal);
        return signal;
    }

    public Pacer start()
    {
        thread.start();
        return this;
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive() && Thread.currentThread() != thread)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run()
    {
        final Signal[] signals = this.signals.toArray(new Signal[0]);
        while (running)
        {
            final long nowNs = System.nanoTime();
            long waitNs = MAX_PARK_NS + SPIN_NS;
            for (final Signal signal : signals)
            {
                final long dueNs = signal.nextDueNs.get();
                if (dueNs == Long.MAX_VALUE)
                {
                    continue;
                }
                final long untilNs = dueNs - nowNs;
                if (untilNs <= 0)
                {
                    if (signal.pokedForNs != dueNs || nowNs - signal.pokedAtNs >= REPOKE_NS)
                    {
                        signal.pokedForNs = dueNs;
                        signal.pokedAtNs = nowNs;
                        signal.loop.execute(signal.onDue);
                    }
                    // Spin until the loop publishes its next time: it may be only microseconds away, and a later
                    // time than this one wakes nobody.
                    waitNs = 0;
                }
                else if (untilNs < waitNs)
                {
                    waitNs = untilNs;
                }
            }
            if (waitNs > SPIN_NS)
            {
                LockSupport.parkNanos(this, waitNs - SPIN_NS);
            }
            else
            {
                // Polite spinning: on a machine with fewer free cores than busy threads, the loop this waits for
                // may need this core.
                Thread.yield();
            }
        }
    }

    /** One loop's earliest due time. Published by that loop; read by the pacer. */
    public final class Signal
    {
        private final AtomicLong nextDueNs = new AtomicLong(Long.MAX_VALUE);
        private final Executor loop;
        private final Runnable onDue;
        private long pokedForNs = Long.MAX_VALUE;
        private long pokedAtNs;

        private Signal(final Executor loop, final Runnable onDue)
        {
            this.loop = loop;
            this.onDue = onDue;
        }

        /**
         * The loop's thread only. {@code dueNs} is when the loop next has a request to send, {@link Long#MAX_VALUE}
         * for none. Wakes the pacer when it is earlier than what was published before, as the pacer may be parked
         * until then.
         */
        public void publish(final long dueNs)
        {
            final long previousNs = nextDueNs.get();
            if (previousNs == dueNs)
            {
                return;
            }
            nextDueNs.lazySet(dueNs);
            if (dueNs != Long.MAX_VALUE && (previousNs == Long.MAX_VALUE || dueNs - previousNs < 0))
            {
                LockSupport.unpark(thread);
            }
        }
    }
}
