package dev.warren.engine.loop;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One thread driving one {@link Selector}.
 * <p>
 * <b>Threading.</b> Everything registered with the loop, its {@link #timers() timers}, its {@link #bufferPool() pool}
 * and its flush list are touched only by the loop's thread. Any thread may call {@link #execute(Runnable)}: the
 * command goes on a JCTools MPSC queue (many producers, this loop the one consumer) and the loop runs it in its
 * next cycle. A producer calls {@link Selector#wakeup()} only when it flips the loop's {@code parked} flag from
 * true to false, so there is at most one wake-up per park and none while the loop is busy.
 * <p>
 * <b>One cycle.</b> Run up to {@link #COMMAND_BATCH} commands; expire due timers; select (without blocking when
 * there is more to do); dispatch ready keys to their {@link IoHandler}; flush every {@link Flushable} that
 * produced output during the cycle, so writes are batched per cycle.
 * <p>
 * <b>Spinning selector guard.</b> The JDK's epoll selector has been known to return early with nothing selected,
 * over and over. After {@link #SPIN_REBUILD_THRESHOLD} such returns in a row the loop moves every key to a new
 * selector, as Netty does.
 */
public final class EventLoop implements Executor, AutoCloseable
{
    /** Commands run per cycle before I/O gets its turn. Property {@code warren.loop.commandBatch}. */
    public static final int COMMAND_BATCH = Integer.getInteger("warren.loop.commandBatch", 256);
    /** Early empty selects in a row that trigger a rebuild. Property {@code warren.loop.spinThreshold}. */
    public static final int SPIN_REBUILD_THRESHOLD = Integer.getInteger("warren.loop.spinThreshold", 512);
    /**
     * Timer wheel tick: 2^23 ns, about 8.4 ms: the wheel's slot width. With up to {@link #EXACT_BOUND_TIMERS} timers
     * pending they still fire to the millisecond (the loop parks until the earliest deadline and a poll expires what
     * is due), and an idle loop does not wake each tick.
     */
    private static final long TICK_NS = 1L << 23;
    private static final int TICKS_PER_WHEEL = 512;
    /** Longest park when nothing is scheduled. */
    private static final long MAX_PARK_MS = 1000;
    /** Longest delay a timer takes (about 73 years): a deadline must not overflow, nor be the wheel's null value. */
    private static final long MAX_DELAY_NS = Long.MAX_VALUE >> 2;
    /**
     * Most pending timers for which the earliest deadline is found exactly, by one pass over the wheel, once the
     * bound is reached. With more (tens of thousands of keep-alive clients' head timers, say) such passes would cost
     * more than they save, and the loop polls the wheel tick by tick again, as it did before the bound.
     */
    private static final int EXACT_BOUND_TIMERS = 1024;

    private static final System.Logger LOG = System.getLogger("dev.warren.loop");

    private final String name;
    private final Thread thread;
    private final MpscUnboundedArrayQueue<Runnable> commands = new MpscUnboundedArrayQueue<>(1024);
    private final AtomicBoolean parked = new AtomicBoolean();
    private final DeadlineTimerWheel timerWheel;
    private final Long2ObjectHashMap<ScheduledTask> tasksByWheelId = new Long2ObjectHashMap<>();
    private final org.agrona.collections.Long2LongHashMap wheelIdsById = new org.agrona.collections.Long2LongHashMap(-1);
    private long nextTimerId;
    /**
     * No pending timer is due before this: the earliest deadline scheduled since the last exact count, a cancelled
     * timer's included (so a lower bound, made exact again once it is reached). The loop parks until it, and does not
     * poll the wheel before it.
     */
    private long earliestDeadlineNs = Long.MAX_VALUE;
    private final DeadlineTimerWheel.TimerConsumer earliestFinder = this::onPendingTimer;
    private final DeadlineTimerWheel.TimerHandler timerHandler = this::onTimerExpiry;
    private final BufferPool bufferPool;
    private final ArrayList<Flushable> flushList = new ArrayList<>();
    private final Consumer<SelectionKey> keyDispatcher = EventLoop::dispatch;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private Selector selector;
    private volatile boolean running = true;
    private volatile boolean started;
    private int emptySelects;
    private long selectorRebuilds;
    private long cycles;

    public EventLoop(final String name, final BufferPool bufferPool)
    {
        this.name = name;
        this.bufferPool = bufferPool;
        try
        {
            this.selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector", ex);
        }
        this.timerWheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, System.nanoTime(), TICK_NS, TICKS_PER_WHEEL);
        this.thread = new EventLoopThread(this, name);
    }

    public EventLoop start()
    {
        started = true;
        thread.start();
        return this;
    }

    /** @return the loop whose thread is calling, or null for any other thread. */
    public static EventLoop current()
    {
        final Thread thread = Thread.currentThread();
        return thread instanceof EventLoopThread ? ((EventLoopThread)thread).loop : null;
    }

    public boolean inLoop()
    {
        return Thread.currentThread() == thread;
    }

    public String name()
    {
        return name;
    }

    /** Any thread. Runs {@code command} on this loop's thread, in order with other commands from the same producer. */
    @Override
    public void execute(final Runnable command)
    {
        commands.offer(command);
        if (parked.get() && parked.compareAndSet(true, false))
        {
            selector.wakeup();
        }
    }

    /** Any thread. Computes a value on the loop (for tests and inspection). */
    public <T> CompletableFuture<T> submit(final Supplier<T> supplier)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        execute(() ->
        {
            try
            {
                result.complete(supplier.get());
            }
            catch (final Throwable ex)
            {
                result.completeExceptionally(ex);
            }
        });
        return result;
    }

    /** Loop thread only. */
    public SelectionKey register(final SelectableChannel channel, final int ops, final IoHandler handler)
        throws ClosedChannelException
    {
        return channel.register(selector, ops, handler);
    }

    /**
     * Loop thread only. Runs {@code task} on this loop after {@code delayNs}, no sooner (an idle loop with up to
     * {@link #EXACT_BOUND_TIMERS} timers parks until the earliest deadline, to the millisecond; with more, until the
     * end of its tick); returns an id for {@link #cancel}. Ids are never reused, so cancelling one that already
     * ran is harmless.
     */
    public long schedule(final long delayNs, final Runnable task)
    {
        final long now = System.nanoTime();
        if (timerWheel.timerCount() == 0)
        {
            timerWheel.resetStartTime(now); // an idle wheel would otherwise catch up one tick per poll
            earliestDeadlineNs = Long.MAX_VALUE;
        }
        final long deadline = now + Math.min(Math.max(0, delayNs), MAX_DELAY_NS);
        earliestDeadlineNs = Math.min(earliestDeadlineNs, deadline);
        final long wheelId = timerWheel.scheduleTimer(deadline);
        final long id = ++nextTimerId;
        tasksByWheelId.put(wheelId, new ScheduledTask(id, task));
        wheelIdsById.put(id, wheelId);
        return id;
    }

    /** Loop thread only. Cancelling an expired, cancelled or unknown timer does nothing. */
    public void cancel(final long timerId)
    {
        final long wheelId = wheelIdsById.remove(timerId);
        if (wheelId != -1)
        {
            tasksByWheelId.remove(wheelId);
            timerWheel.cancelTimer(wheelId);
        }
    }

    /** Loop thread only. {@code flushable.flush()} runs once at the end of this cycle. */
    public void flushLater(final Flushable flushable)
    {
        flushList.add(flushable);
    }

    public BufferPool bufferPool()
    {
        return bufferPool;
    }

    public long selectorRebuilds()
    {
        return selectorRebuilds;
    }

    /** Loop thread only. How many cycles (commands, timers, select, flush) the loop has run. */
    public long cycles()
    {
        return cycles;
    }

    public int timerCount()
    {
        return (int)timerWheel.timerCount();
    }

    public CompletableFuture<Void> terminated()
    {
        return terminated;
    }

    /** Any thread. Stops the loop after its current cycle and closes the selector; registered channels are closed. */
    @Override
    public void close()
    {
        running = false;
        if (!started)
        {
            closeSelector();
            terminated.complete(null);
            return;
        }
        selector.wakeup();
        if (!inLoop())
        {
            terminated.join();
        }
    }

    void run()
    {
        try
        {
            while (running)
            {
                cycles++;
                final int commandsRun = runCommands();
                expireTimers();
                select(commandsRun >= COMMAND_BATCH || !commands.isEmpty() || !flushList.isEmpty());
                flushAll();
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(System.Logger.Level.ERROR, "event loop " + name + " failed", ex);
        }
        finally
        {
            closeSelector();
            terminated.complete(null);
        }
    }

    private int runCommands()
    {
        int count = 0;
        Runnable command;
        while (count < COMMAND_BATCH && (command = commands.relaxedPoll()) != null)
        {
            count++;
            try
            {
                command.run();
            }
            catch (final Throwable ex)
            {
                LOG.log(System.Logger.Level.ERROR, "command failed on " + name, ex);
            }
        }
        return count;
    }

    private void expireTimers()
    {
        if (timerWheel.timerCount() == 0)
        {
            return;
        }
        final long now = System.nanoTime();
        if (now < earliestDeadlineNs)
        {
            // Nothing is due: skip the ticks up to now instead of polling them (they hold no timer due before the
            // earliest deadline; later rounds of the wheel keep theirs).
            timerWheel.currentTickTime(now);
            return;
        }
        // The ticks before the earliest deadline hold nothing due; from there each poll advances the wheel by one
        // tick: poll until it has caught up with now.
        timerWheel.currentTickTime(earliestDeadlineNs);
        for (int i = 0; i < TICKS_PER_WHEEL && timerWheel.timerCount() > 0; i++)
        {
            timerWheel.poll(now, timerHandler, Integer.MAX_VALUE);
            if (timerWheel.currentTickTime() > now)
            {
                break;
            }
        }
        // Exact again: the earliest deadline still pending (the tasks that ran may have scheduled more). With many
        // timers, the last instant of the current tick, as a plain wheel polls: the jump above then lands on this
        // tick, which is polled once more at its end (its end itself would skip to the next tick, and this one's
        // later timers would wait a whole turn of the wheel).
        earliestDeadlineNs = Long.MAX_VALUE;
        final long pending = timerWheel.timerCount();
        if (pending > EXACT_BOUND_TIMERS)
        {
            earliestDeadlineNs = timerWheel.currentTickTime() - 1;
        }
        else if (pending > 0)
        {
            timerWheel.forEach(earliestFinder);
        }
    }

    private void onPendingTimer(final long deadline, final long wheelId)
    {
        earliestDeadlineNs = Math.min(earliestDeadlineNs, deadline);
    }

    private boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long wheelId)
    {
        final ScheduledTask scheduled = tasksByWheelId.remove(wheelId);
        if (scheduled != null)
        {
            wheelIdsById.remove(scheduled.id);
            try
            {
                scheduled.task.run();
            }
            catch (final Throwable ex)
            {
                LOG.log(System.Logger.Level.ERROR, "timer task failed on " + name, ex);
            }
        }
        return true;
    }

    private void select(final boolean moreToDo) throws IOException
    {
        if (moreToDo)
        {
            selector.selectNow(keyDispatcher);
            return;
        }

        final long timeoutMs = parkTimeoutMs();
        parked.set(true);
        if (!commands.isEmpty())
        {
            parked.set(false);
            selector.selectNow(keyDispatcher);
            return;
        }
        final long start = System.nanoTime();
        final int selected = selector.select(keyDispatcher, timeoutMs);
        final boolean wokenByProducer = !parked.getAndSet(false);
        if (selected == 0 && !wokenByProducer && commands.isEmpty() &&
            System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(timeoutMs) / 2)
        {
            if (++emptySelects >= SPIN_REBUILD_THRESHOLD)
            {
                rebuildSelector();
            }
        }
        else
        {
            emptySelects = 0;
        }
    }

    private long parkTimeoutMs()
    {
        if (timerWheel.timerCount() == 0)
        {
            return MAX_PARK_MS;
        }
        // Until the earliest deadline, rounded up to the millisecond (0 would mean no timeout at all).
        final long waitNs = earliestDeadlineNs - System.nanoTime();
        if (waitNs <= 0)
        {
            return 1;
        }
        return waitNs >= TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MS) ? MAX_PARK_MS : (waitNs + 999_999) / 1_000_000;
    }

    /** Moves every key to a fresh selector. Loop thread only; package-private so a test can force it. */
    void rebuildSelector() throws IOException
    {
        final Selector fresh = Selector.open();
        for (final SelectionKey key : selector.keys())
        {
            if (!key.isValid())
            {
                continue;
            }
            final IoHandler handler = (IoHandler)key.attachment();
            final int ops = key.interestOps();
            key.cancel();
            handler.rekeyed(key.channel().register(fresh, ops, handler));
        }
        final Selector old = selector;
        selector = fresh;
        old.close();
        emptySelects = 0;
        selectorRebuilds++;
        LOG.log(System.Logger.Level.WARNING, "event loop " + name + " rebuilt a spinning selector");
    }

    private void flushAll()
    {
        final ArrayList<Flushable> list = flushList;
        for (int i = 0; i < list.size(); i++)
        {
            try
            {
                list.get(i).flush();
            }
            catch (final Throwable ex)
            {
                LOG.log(System.Logger.Level.ERROR, "flush failed on " + name, ex);
            }
        }
        list.clear();
    }

    private static void dispatch(final SelectionKey key)
    {
        final IoHandler handler = (IoHandler)key.attachment();
        final int readyOps;
        try
        {
            readyOps = key.readyOps();
        }
        catch (final java.nio.channels.CancelledKeyException ex)
        {
            return;
        }
        try
        {
            handler.onReady(readyOps);
        }
        catch (final Throwable ex)
        {
            LOG.log(System.Logger.Level.ERROR, "I/O handler failed", ex);
        }
    }

    private void closeSelector()
    {
        for (final SelectionKey key : selector.keys())
        {
            try
            {
                key.channel().close();
            }
            catch (final IOException ignore)
            {
                // closing on shutdown: nothing more to do
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // closing on shutdown
        }
    }

    private record ScheduledTask(long id, Runnable task)
    {
    }

    private static final class EventLoopThread extends Thread
    {
        private final EventLoop loop;

        EventLoopThread(final EventLoop loop, final String name)
        {
            super(name);
            this.loop = loop;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            loop.run();
        }
    }
}
