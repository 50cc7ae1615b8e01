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
 */
public record LoadReport(
    String label, String mode, String pattern, int size, String target, int connections, int loops,
    double targetRate, double durationSeconds, double warmupSeconds, String startedAt,
    long requests, long unsent, double achievedRate, long bytesOut, long bytesIn,
    Map<String, Long> errors, Map<String, String> errorDetails, long warmupErrors,
    Histogram latency, Histogram serviceTime)
{
    public LoadReport
    {
        errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        errorDetails = Collections.unmodifiableMap(new LinkedHashMap<>(errorDetails));
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
