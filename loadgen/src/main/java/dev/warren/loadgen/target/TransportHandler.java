package dev.warren.loadgen.target;

/**
 * What a {@link Transport} tells the connection that owns it. Every method runs on that connection's event loop,
 * and never from inside a call to a {@link Transport} method: a handler may close its transport, or open a new
 * one, from any of these. Nothing arrives after {@link Transport#close()}.
 */
public interface TransportHandler
{
    /** The connection is open (for a tunnel: the private host accepted it). */
    void onOpened();

    /**
     * All of the buffer given to a {@link Transport#send} that returned false has been taken.
     *
     * @param atNs {@link System#nanoTime()} when it was.
     */
    void onSent(long atNs);

    /**
     * Bytes arrived from the peer; they were counted and checked against the request, and are gone.
     *
     * @param bytes     how many.
     * @param arrivalNs {@link System#nanoTime()} when the latest of them arrived.
     * @param mismatch  some of them differ from the bytes the peer should have echoed.
     */
    void onReceived(int bytes, long arrivalNs, boolean mismatch);

    /**
     * {@code loadgen http}: the response to the request outstanding is complete (its body read to the end). The
     * bytes it took were told to {@link #onReceived} first. Transports of {@code loadgen tcp} never call it.
     *
     * @param status    its status code (100..599; never a 1xx that a final response followed).
     * @param arrivalNs {@link System#nanoTime()} when its last byte arrived.
     */
    default void onResponse(final int status, final long arrivalNs)
    {
        throw new UnsupportedOperationException("not an http connection");
    }

    /** The peer finished its side of the connection. */
    void onClosed();

    /**
     * The connection failed; the transport is finished.
     *
     * @param kind   an {@link ErrorKind}.
     * @param detail what went wrong, for the report (the first one of each kind is shown).
     */
    void onFailed(int kind, String detail);
}
