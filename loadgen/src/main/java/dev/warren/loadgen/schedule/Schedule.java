package dev.warren.loadgen.schedule;

/**
 * When one connection's requests are meant to go out. An open-loop schedule fixes every request's intended send time
 * in advance, whatever happens to the ones before it, so that a stall delays the requests behind it and their
 * latency, measured from the intended time, shows it (wrk2's lesson on coordinated omission). A closed-loop schedule
 * sends each request as soon as the previous one is complete: the most a connection can do.
 * <p>
 * Immutable; thread-safe.
 */
public interface Schedule
{
    /** What {@link #intendedNs} returns when a request goes as soon as the one before it is complete. */
    long AS_SOON_AS_POSSIBLE = Long.MIN_VALUE;

    /**
     * @param sequence the connection's request number, from 0.
     * @return its intended send time ({@link System#nanoTime()} scale), or {@link #AS_SOON_AS_POSSIBLE}.
     */
    long intendedNs(long sequence);

    /**
     * @return how many of this connection's requests, from number {@code sequence} on, are intended for a time in
     *         {@code [fromNs, toNs)}; 0 for a closed loop, which intends nothing.
     */
    long countBetween(long sequence, long fromNs, long toNs);
}
