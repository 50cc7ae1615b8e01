package dev.warren.cli;

import org.HdrHistogram.Histogram;

/**
 * What one {@link FetchLoad} measured, after its warm-up. Immutable once built (the histogram is not touched again).
 *
 * @param requests      requests sent within the measured window (and answered as expected).
 * @param seconds       the measured window.
 * @param latencyMicros request latencies (send to whole body), in microseconds.
 * @param errors        requests that failed or answered something else, warm-up included.
 * @param bytesVerified response body bytes checked, warm-up included.
 */
record FetchResult(long requests, double seconds, Histogram latencyMicros, long errors, long bytesVerified)
{
    double requestsPerSecond()
    {
        return seconds > 0 ? requests / seconds : 0;
    }
}
