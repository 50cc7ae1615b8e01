package dev.warren.loadgen.report;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one load run, as every report writes it and as {@code loadgen plot} reads it back from JSON.
 * Immutable by convention: the histograms are not changed after the report is made.
 *
 * @param label           names the run in charts and tables.
 * @param mode            {@code tcp} ({@code http} later).
 * @param pattern         {@code echo} or {@code bulk}.
 * @param size            bytes per request.
 * @param target          where the load went, e.g. {@code 127.0.0.1:7000 (direct)}.
 * @param connections     connections used.
 * @param loops           event loops used.
 * @param targetRate      requests per second asked for; 0 for a closed loop.
 * @param durationSeconds the measured window.
 * @param warmupSeconds   the warm-up before it.
 * @param startedAt       when the run started, ISO-8601 UTC.
 * @param requests        requests intended in the window that completed.
 * @param unsent          requests intended in the window that never went out.
 * @param achievedRate    {@code requests} per second of the window (or of the time they took, when longer).
 * @param bytesOut        bytes sent while measuring.
 * @param bytesIn         bytes received while measuring.
 * @param errors          errors while measuring (and while first connecting), by kind, in a fixed order; kinds
 *                        with no error are left out.
 * @param errorDetails    the first error of each kind in {@code errors}, as a message.
 * @param warmupErrors    errors during the warm-up (not held against the run).
 * @param latency         microseconds from each request's intended send time to its completion.
 * @param serviceTime     microseconds from each request's actual send to its completion.
 * @param statuses        {@code http} only: the completed requests by the status class of their response
 *                        ({@code 2xx}, ...), classes with none left out; empty for {@code tcp}. A non-2xx response
 *                        is a completed request, not an error (as wrk counts it).
 */
public record LoadReport(
    String label, String mode, String pattern, int size, String target, int connections, int loops,
    double targetRate, double durationSeconds, double warmupSeconds, String startedAt,
    long requests, long unsent, double achievedRate, long bytesOut, long bytesIn,
    Map<String, Long> errors, Map<String, String> errorDetails, long warmupErrors,
    Histogram latency, Histogram serviceTime, Map<String, Long> statuses)
{
    /** A report without status classes ({@code tcp}). */
    public LoadReport(
        final String label, final String mode, final String pattern, final int size, final String target,
        final int connections, final int loops, final double targetRate, final double durationSeconds,
        final double warmupSeconds, final String startedAt, final long requests, final long unsent,
        final double achievedRate, final long bytesOut, final long bytesIn, final Map<String, Long> errors,
        final Map<String, String> errorDetails, final long warmupErrors, final Histogram latency,
        final Histogram serviceTime)
    {
        this(label, mode, pattern, size, target, connections, loops, targetRate, durationSeconds, warmupSeconds,
            startedAt, requests, unsent, achievedRate, bytesOut, bytesIn, errors, errorDetails, warmupErrors, latency,
            serviceTime, Map.of());
    }

    public LoadReport
    {
        statuses = Collections.unmodifiableMap(new LinkedHashMap<>(statuses == null ? Map.of() : statuses));
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        errorDetails = Collections.unmodifiableMap(new LinkedHashMap<>(errorDetails));
    }

    /** {@code http}: responses with a status outside 2xx (counted apart from errors). */
    public long non2xx()
    {
        long total = 0;
        for (final Map.Entry<String, Long> status : statuses.entrySet())
        {
            if (!"2xx".equals(status.getKey()))
            {
                total += status.getValue();
            }
        }
        return total;
    }

    /** Requests were sent at a set rate. */
    public boolean openLoop()
    {
        return targetRate > 0;
    }

    /** Errors while measuring, all kinds. */
    public long errorsTotal()
    {
        long total = 0;
        for (final long count : errors.values())
        {
            total += count;
        }
        return total;
    }

    /** {@code achievedRate / targetRate}; 1 for a closed loop. */
    public double achievedRatio()
    {
        return openLoop() ? achievedRate / targetRate : 1.0;
    }

    /** {@code requests} as the window's target count would have it: {@code targetRate × durationSeconds}. */
    public long expectedRequests()
    {
        return Math.round(targetRate * durationSeconds);
    }
}
