package dev.warren.cli;

import org.HdrHistogram.Recorder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Closed-loop HTTP requests: {@code concurrency} workers, each sending a request, waiting for its whole response,
 * checking the body and sending the next, until the window ends. The demo runs it twice with the same
 * {@code GET /hello} of its private HTTP service: once through the tunnel ({@code fetch()} on the binding) and once
 * directly ({@link DirectHttpGet}: keep-alive HTTP/1.1 over blocking sockets).
 * <p>
 * <b>Threading.</b> {@link #run} is called by one thread and blocks it until the load is over. The requests are
 * driven by their futures' completions (an engine event loop for {@code fetch()}, the direct client's threads): no thread per worker. Latencies go to a {@link Recorder}, which any thread writes without waiting.
 */
final class FetchLoad
{
    /** How long after the window a request may still be outstanding before the load counts as stalled. */
    static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final Supplier<CompletableFuture<String>> request;
    private final String expectedBody;
    private final int concurrency;
    private final DemoErrors errors;
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong measured = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytesVerified = new AtomicLong();

    /**
     * @param name         "tunnel" or "direct", for error lines.
     * @param request      sends one request; its future completes with the whole body.
     * @param expectedBody what every body must be.
     * @param concurrency  requests in flight at once.
     * @param errors       where failures are reported.
     */
    FetchLoad(final String name, final Supplier<CompletableFuture<String>> request, final String expectedBody,
        final int concurrency, final DemoErrors errors)
    {
        this.name = name;
        this.request = request;
        this.expectedBody = expectedBody;
        this.concurrency = concurrency;
        this.errors = errors;
    }

    /** @return what the window measured. */
    FetchResult run(final long warmupNs, final long durationNs) throws InterruptedException
    {
        final long measureStartNs = System.nanoTime() + warmupNs;
        final long measureEndNs = measureStartNs + durationNs;
        final CountDownLatch finished = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++)
        {
            next(measureStartNs, measureEndNs, finished);
        }
        if (!finished.await(measureEndNs + STALL_TIMEOUT_NS - System.nanoTime(), TimeUnit.NANOSECONDS))
        {
            errors.add("fetch load " + name + ": " + finished.getCount() + " of " + concurrency + " requests stalled " +
                "(no response within " + TimeUnit.NANOSECONDS.toSeconds(STALL_TIMEOUT_NS) + " s after the window)");
        }
        return new FetchResult(measured.get(), durationNs / 1e9, recorder.getIntervalHistogram(), failed.get(),
            bytesVerified.get());
    }

    private void next(final long measureStartNs, final long measureEndNs, final CountDownLatch finished)
    {
        final long sentNs = System.nanoTime();
        if (sentNs - measureEndNs >= 0)
        {
            finished.countDown();
            return;
        }
        final CompletableFuture<String> response;
        try
        {
            response = request.get();
        }
        catch (final RuntimeException ex)
        {
            failed(ex);
            finished.countDown();
            return;
        }
        response.whenComplete((body, error) ->
        {
            final long nowNs = System.nanoTime();
            if (error != null || !expectedBody.equals(body))
            {
                // A worker stops at its first failure: the demo fails anyway, and a failing request must not spin.
                failed(error != null ? error : new IllegalStateException("unexpected body \"" + body + "\""));
                finished.countDown();
                return;
            }
            bytesVerified.addAndGet(body.length());
            if (sentNs - measureStartNs >= 0)
            {
                measured.incrementAndGet();
                recorder.recordValue(TimeUnit.NANOSECONDS.toMicros(nowNs - sentNs));
            }
            next(measureStartNs, measureEndNs, finished);
        });
    }

    private void failed(final Throwable error)
    {
        failed.incrementAndGet();
        errors.add("fetch load " + name + ": " + DemoErrors.describe(error));
    }
}
