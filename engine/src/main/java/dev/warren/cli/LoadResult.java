package dev.warren.cli;

import org.HdrHistogram.Histogram;

/**
 * What one round-trip load measured, after its warm-up. Immutable once built (the histogram is not touched
 * again).
 *
 * @param roundTrips    round trips started within the measured window (and completed).
 * @param seconds       the measured window.
 * @param latencyMicros round-trip latencies, in microseconds.
 * @param bytesVerified echoed bytes checked against what was sent, warm-up included.
 */
record LoadResult(long roundTrips, double seconds, Histogram latencyMicros, long bytesVerified)
{
    double roundTripsPerSecond()
    {
        return seconds > 0 ? roundTrips / seconds : 0;
    }
}
