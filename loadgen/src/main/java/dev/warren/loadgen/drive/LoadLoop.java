package dev.warren.loadgen.drive;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.loadgen.record.LoopRecorder;
import dev.warren.loadgen.schedule.ClosedLoopSchedule;
import dev.warren.loadgen.schedule.DueQueue;
import dev.warren.loadgen.schedule.OpenLoopSchedule;
import dev.warren.loadgen.schedule.Pacer;
import dev.warren.loadgen.target.EchoVerifier;
import dev.warren.loadgen.target.Target;
import dev.warren.loadgen.target.Transport;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The part of a run that one engine {@link EventLoop} drives: its connections, the queue of those waiting for their
 * intended time, its {@link LoopRecorder}, a receive buffer from the loop's pool, and a timer that fails requests and
 * connection attempts that take too long.
 * <p>
 * <b>Threading.</b> Everything here runs on the loop's thread, reached from other threads only through
 * {@link EventLoop#execute}: {@link #open()}, {@link #begin}, {@link #stop()}, and the pacer's wake-up. The recorder
 * is read by the collector; the latches are counted down here and awaited by the run.
 */
final class LoadLoop
{
    /** How often in-flight requests and connection attempts are checked against their timeouts. */
    private static final long SWEEP_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final EventLoop eventLoop;
    private final LoadPlan plan;
    private final Target target;
    private final ByteBuffer payload;
    private final LoopRecorder recorder = new LoopRecorder();
    private final LoadConnection[] connections;
    private final int[] runIndexes;
    private final DueQueue waiting;
    private final CountDownLatch settled;
    private final CountDownLatch finished;
    private final Runnable sendDue = this::sendDue;
    private final Runnable sweep = this::sweep;
    private Pacer.Signal signal;

    private PooledBuffer scratchChunk;
    private ByteBuffer scratch;
    private boolean began;
    private long measureStartNs;
    private long endNs;
    private int done;

    /**
     * @param runIndexes each connection's number in the run, which places it in the open-loop schedule.
     * @param settled    counted down once per connection when its first attempt opened or failed.
     * @param finished   counted down once per connection when it is done.
     */
    LoadLoop(
        final EventLoop eventLoop, final LoadPlan plan, final Target target, final ByteBuffer payload,
        final int[] runIndexes, final CountDownLatch settled, final CountDownLatch finished)
    {
        this.eventLoop = eventLoop;
        this.plan = plan;
        this.target = target;
        this.payload = payload;
        this.runIndexes = runIndexes.clone();
        this.settled = settled;
        this.finished = finished;
        this.connections = new LoadConnection[runIndexes.length];
        for (int i = 0; i < connections.length; i++)
        {
            connections[i] = new LoadConnection(i, this, plan.pattern(), payload);
        }
        this.waiting = new DueQueue(connections.length);
    }

    /** Before the run starts: the pacer that wakes this loop (open loop only). */
    void pacedBy(final Pacer pacer)
    {
        signal = pacer.signal(eventLoop, sendDue);
    }

    LoopRecorder recorder()
    {
        return recorder;
    }

    EventLoop eventLoop()
    {
        return eventLoop;
    }

    LoadPlan plan()
    {
        return plan;
    }

    boolean began()
    {
        return began;
    }

    long measureStartNs()
    {
        return measureStartNs;
    }

    long endNs()
    {
        return endNs;
    }

    /** Loop thread: connections open so far. */
    int opened()
    {
        int count = 0;
        for (final LoadConnection connection : connections)
        {
            if (connection.isOpen())
            {
                count++;
            }
        }
        return count;
    }

    /** Loop thread: opens every connection. */
    void open()
    {
        scratchChunk = eventLoop.bufferPool().acquire();
        scratch = scratchChunk.byteBuffer();
        eventLoop.schedule(SWEEP_NS, sweep);
        for (final LoadConnection connection : connections)
        {
            connection.open();
        }
    }

    /** Loop thread: the schedule starts at {@code startNs}; the window is {@code [measureStartNs, endNs)}. */
    void begin(final long startNs, final long measureStartNs, final long endNs)
    {
        this.measureStartNs = measureStartNs;
        this.endNs = endNs;
        began = true;
        for (int i = 0; i < connections.length; i++)
        {
            connections[i].begin(plan.openLoop() ?
                new OpenLoopSchedule(startNs, plan.rate(), plan.connections(), runIndexes[i]) :
                ClosedLoopSchedule.INSTANCE);
        }
    }

    /** Loop thread: ends every connection now. */
    void stop()
    {
        if (!began)
        {
            endNs = System.nanoTime();
            measureStartNs = endNs;
        }
        for (final LoadConnection connection : connections)
        {
            connection.stop();
        }
    }

    Transport newTransport(final LoadConnection connection)
    {
        return target.newTransport(eventLoop, connection, scratch, plan.verify() ? new EchoVerifier(payload) : null);
    }

    void execute(final Runnable command)
    {
        eventLoop.execute(command);
    }

    void schedule(final long delayNs, final Runnable task)
    {
        eventLoop.schedule(delayNs, task);
    }

    /** {@code connection} waits until {@code dueNs}, which is in the future. */
    void await(final LoadConnection connection, final long dueNs)
    {
        waiting.add(connection.id(), dueNs);
        if (waiting.peekDueNs() == dueNs)
        {
            signal.publish(dueNs);
        }
    }

    void cancelWait(final LoadConnection connection)
    {
        if (waiting.remove(connection.id()) && signal != null)
        {
            signal.publish(waiting.peekDueNs());
        }
    }

    void recordCompletion(final long intendedNs, final long sentNs, final long doneNs)
    {
        recorder.add(LoopRecorder.ALL_COMPLETED, 1);
        if (intendedNs - measureStartNs >= 0 && intendedNs - endNs < 0)
        {
            recorder.recordCompletion(intendedNs, sentNs, doneNs);
        }
    }

    /** {@code loadgen http}: a response completed the request intended at {@code intendedNs}. */
    void countStatus(final long intendedNs, final int status)
    {
        if (intendedNs - measureStartNs >= 0 && intendedNs - endNs < 0)
        {
            recorder.add(LoopRecorder.statusSlot(status), 1);
        }
    }

    /**
     * The bytes of the request intended at {@code intendedNs} are counted when that request is one of the window's,
     * as its completion is: a warm-up request sent late, after the window began, is not.
     */
    void countBytesOut(final int bytes, final long intendedNs)
    {
        if (began && intendedNs - measureStartNs >= 0 && intendedNs - endNs < 0)
        {
            recorder.add(LoopRecorder.BYTES_OUT, bytes);
        }
    }

    void countBytesIn(final int bytes, final long nowNs)
    {
        if (measuring(nowNs))
        {
            recorder.add(LoopRecorder.BYTES_IN, bytes);
        }
    }

    void countUnsent(final long requests)
    {
        if (requests > 0)
        {
            recorder.add(LoopRecorder.UNSENT, requests);
        }
    }

    /** Errors before the run begins (failing to connect) count; those of the warm-up are kept apart. */
    void countError(final int kind, final String detail)
    {
        recorder.recordError(kind, detail, began && System.nanoTime() - measureStartNs < 0);
    }

    void connectionSettled()
    {
        settled.countDown();
    }

    void connectionDone(final LoadConnection connection)
    {
        finished.countDown();
        if (++done == connections.length && scratchChunk != null)
        {
            scratchChunk.release();
            scratchChunk = null;
        }
    }

    private boolean measuring(final long nowNs)
    {
        return began && nowNs - measureStartNs >= 0;
    }

    /** The pacer's wake-up: sends for every connection whose time has come, then says when the next one is due. */
    private void sendDue()
    {
        final long nowNs = System.nanoTime();
        while (!waiting.isEmpty() && waiting.peekDueNs() - nowNs <= 0)
        {
            connections[waiting.poll()].onDue(nowNs);
        }
        signal.publish(waiting.peekDueNs());
    }

    private void sweep()
    {
        if (done == connections.length)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        for (final LoadConnection connection : connections)
        {
            connection.sweep(nowNs);
        }
        eventLoop.schedule(SWEEP_NS, sweep);
    }
}
