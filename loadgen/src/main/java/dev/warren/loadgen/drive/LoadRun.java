package dev.warren.loadgen.drive;

import dev.warren.engine.loop.EventLoopGroup;
import dev.warren.loadgen.record.LoopRecorder;
import dev.warren.loadgen.record.ResultCollector;
import dev.warren.loadgen.report.LoadReport;
import dev.warren.loadgen.report.ProgressLine;
import dev.warren.loadgen.schedule.Pacer;
import dev.warren.loadgen.target.EchoVerifier;
import dev.warren.loadgen.target.ErrorKind;
import dev.warren.loadgen.target.Target;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One load run: starts {@link LoadPlan#loops()} engine event loops (and, for an open loop, the {@link Pacer}), opens
 * every connection, begins the schedule once they are open, prints the live line each second, waits for the
 * connections to finish (the window, then in-flight requests up to their timeout), and merges what every loop
 * recorded into a {@link LoadReport}.
 * <p>
 * Timeline: {@code start} (request 0 intended) → warm-up (nothing recorded) → {@code measureStart} → the window →
 * {@code end} → drain: connections that fell behind send what was intended in the window (for a while), requests in
 * flight complete or time out. Then anything left is stopped.
 * <p>
 * <b>Threading.</b> {@link #run} blocks the calling thread, which only waits, collects and prints; the load itself runs
 * on the event loops. Not reusable.
 */
public final class LoadRun
{
    /** Between the start decision and request 0: enough for every loop to take its begin command. */
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How often the live line is printed. */
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** After the window, catching up and the request timeout, how long to wait before giving up on what is left. */
    private static final long GIVE_UP_GRACE_NS = TimeUnit.SECONDS.toNanos(2);
    /** Extra wait for the first connection attempts beyond their timeout (the timeout is checked every 50 ms). */
    private static final long SETTLE_GRACE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long PAYLOAD_SEED = 0x5EED_CAFE_F00DL;

    private final LoadPlan plan;
    private final Target target;
    private final String label;
    private final ProgressLine progress;

    /** @param progress prints the live line; null for none. */
    public LoadRun(final LoadPlan plan, final Target target, final String label, final ProgressLine progress)
    {
        this.plan = plan;
        this.target = target;
        this.label = label;
        this.progress = progress;
    }

    /** @throws NoConnectionException when not one connection could be opened. */
    public LoadReport run() throws InterruptedException, NoConnectionException
    {
        final ByteBuffer payload = plan.request() != null ? plan.request().bytes().duplicate() :
            EchoVerifier.randomPayload(plan.size(), PAYLOAD_SEED);
        final CountDownLatch settled = new CountDownLatch(plan.connections());
        final CountDownLatch finished = new CountDownLatch(plan.connections());
        try (EventLoopGroup group = new EventLoopGroup("loadgen", plan.loops());
             Pacer pacer = plan.openLoop() ? new Pacer("loadgen-pacer") : null)
        {
            final LoadLoop[] loops = new LoadLoop[plan.loops()];
            final LoopRecorder[] recorders = new LoopRecorder[loops.length];
            for (int l = 0; l < loops.length; l++)
            {
                loops[l] = new LoadLoop(group.loop(l), plan, target, payload, runIndexes(l), settled, finished);
                if (pacer != null)
                {
                    loops[l].pacedBy(pacer);
                }
                recorders[l] = loops[l].recorder();
            }
            final ResultCollector collector = new ResultCollector(recorders);

            for (final LoadLoop loop : loops)
            {
                loop.eventLoop().execute(loop::open);
            }
            settled.await(plan.connectTimeoutNs() + SETTLE_GRACE_NS, TimeUnit.NANOSECONDS);
            if (opened(loops) == 0)
            {
                stop(loops);
                throw new NoConnectionException(noConnectionReason(collector));
            }

            final Instant startedAt = Instant.now();
            final long startNs = System.nanoTime() + START_DELAY_NS;
            final long measureStartNs = startNs + plan.warmupNs();
            final long endNs = measureStartNs + plan.durationNs();
            if (pacer != null)
            {
                pacer.start();
            }
            for (final LoadLoop loop : loops)
            {
                loop.eventLoop().execute(() -> loop.begin(startNs, measureStartNs, endNs));
            }
            awaitFinish(finished, collector, startNs, measureStartNs, endNs);
            if (finished.getCount() > 0)
            {
                stop(loops);
            }
            collector.collect();
            return report(collector, startedAt, measureStartNs);
        }
    }

    private void awaitFinish(
        final CountDownLatch finished, final ResultCollector collector, final long startNs, final long measureStartNs,
        final long endNs) throws InterruptedException
    {
        final long deadlineNs = endNs + LoadConnection.CATCH_UP_NS + plan.timeoutNs() + GIVE_UP_GRACE_NS;
        long nextPrintNs = startNs + PROGRESS_INTERVAL_NS;
        if (progress != null)
        {
            progress.start(startNs);
        }
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - deadlineNs >= 0)
            {
                return;
            }
            final long waitUntilNs = nextPrintNs - deadlineNs < 0 ? nextPrintNs : deadlineNs;
            if (finished.await(Math.max(0, waitUntilNs - nowNs), TimeUnit.NANOSECONDS))
            {
                return;
            }
            final long afterNs = System.nanoTime();
            if (afterNs - nextPrintNs >= 0)
            {
                collector.collect();
                if (progress != null)
                {
                    progress.print(afterNs, afterNs - startNs, afterNs - measureStartNs < 0, collector);
                }
                nextPrintNs += PROGRESS_INTERVAL_NS;
            }
        }
    }

    private LoadReport report(final ResultCollector collector, final Instant startedAt, final long measureStartNs)
    {
        final long requests = collector.sum(LoopRecorder.COMPLETED);
        final double windowSeconds = plan.durationNs() / 1e9;
        double achievedRate = 0;
        if (requests > 0)
        {
            final long lastCompletionNs = collector.max(LoopRecorder.LAST_COMPLETION_NS);
            achievedRate = requests / Math.max(windowSeconds, (lastCompletionNs - measureStartNs) / 1e9);
        }
        final Map<String, Long> errors = new LinkedHashMap<>();
        final Map<String, String> details = new LinkedHashMap<>();
        for (int kind = 0; kind < ErrorKind.COUNT; kind++)
        {
            final long count = collector.sum(LoopRecorder.ERRORS + kind);
            if (count > 0)
            {
                errors.put(ErrorKind.name(kind), count);
                final String detail = collector.firstError(kind);
                if (detail != null)
                {
                    details.put(ErrorKind.name(kind), detail);
                }
            }
        }
        final Map<String, Long> statuses = new LinkedHashMap<>();
        if (plan.pattern() == TcpPattern.HTTP)
        {
            for (int c = 1; c <= 5; c++)
            {
                final long count = collector.sum(LoopRecorder.statusSlot(c * 100));
                if (count > 0)
                {
                    statuses.put(c + "xx", count);
                }
            }
        }
        final boolean http = plan.pattern() == TcpPattern.HTTP;
        return new LoadReport(label, http ? "http" : "tcp", http ? plan.request().method() : plan.pattern().label(),
            plan.size(), target.describe(),
            plan.connections(), plan.loops(), plan.rate(), windowSeconds, plan.warmupNs() / 1e9,
            startedAt.truncatedTo(ChronoUnit.MILLIS).toString(), requests, collector.sum(LoopRecorder.UNSENT),
            achievedRate, collector.sum(LoopRecorder.BYTES_OUT), collector.sum(LoopRecorder.BYTES_IN), errors,
            details, collector.sum(LoopRecorder.WARMUP_ERRORS), collector.latency().copy(),
            collector.serviceTime().copy(), statuses);
    }

    /** The run's numbers of the connections of loop {@code loop}: {@code loop}, {@code loop + loops}, ... */
    private int[] runIndexes(final int loop)
    {
        final int count = (plan.connections() - loop + plan.loops() - 1) / plan.loops();
        final int[] indexes = new int[count];
        for (int i = 0; i < count; i++)
        {
            indexes[i] = loop + i * plan.loops();
        }
        return indexes;
    }

    private static int opened(final LoadLoop[] loops) throws InterruptedException
    {
        int opened = 0;
        for (final LoadLoop loop : loops)
        {
            opened += onLoop(loop, loop::opened);
        }
        return opened;
    }

    private static void stop(final LoadLoop[] loops) throws InterruptedException
    {
        for (final LoadLoop loop : loops)
        {
            onLoop(loop, () ->
            {
                loop.stop();
                return 0;
            });
        }
    }

    private static int onLoop(final LoadLoop loop, final java.util.function.Supplier<Integer> action)
        throws InterruptedException
    {
        try
        {
            return loop.eventLoop().submit(action).get(5, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("event loop " + loop.eventLoop().name() + " failed: " + ex.getCause(),
                ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("event loop " + loop.eventLoop().name() + " did not answer in 5 s", ex);
        }
    }

    private static String noConnectionReason(final ResultCollector collector)
    {
        for (int kind = 0; kind < ErrorKind.COUNT; kind++)
        {
            final String detail = collector.firstError(kind);
            if (detail != null)
            {
                return "no connection could be opened: " + ErrorKind.name(kind) + ": " + detail;
            }
        }
        return "no connection could be opened";
    }
}
