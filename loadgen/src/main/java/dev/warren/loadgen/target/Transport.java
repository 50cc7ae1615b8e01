package dev.warren.loadgen.target;

import java.nio.ByteBuffer;

/**
 * One connection attempt to a {@link Target}: a plain TCP connection, or a stream through the tunnel. What happens
 * on it is told to its {@link TransportHandler}.
 * <p>
 * <b>Threading.</b> Owned by the event loop it was made for: every method is called on that loop's thread, and
 * none of them calls the handler before returning (outcomes are delivered later, on the same loop).
 */
public interface Transport
{
    /** Starts connecting; {@link TransportHandler#onOpened()} or {@link TransportHandler#onFailed} follows. */
    void open();

    /**
     * Sends {@code data} from its position to its limit. The bytes must not change until they have been taken;
     * the position may move.
     *
     * @return true when all of them were taken at once (no {@link TransportHandler#onSent} follows); false when
     *         {@link TransportHandler#onSent} will say so.
     */
    boolean send(ByteBuffer data);

    /**
     * Finishes our side of the connection after what was sent (a socket is closed, a stream closed gracefully);
     * nothing more is delivered to the handler. Idempotent.
     */
    void close();

    /**
     * Ends the connection at once (a socket is reset, a stream aborted on both sides of the tunnel): for a
     * connection given up on, whose peer may never answer. Nothing more is delivered to the handler. Idempotent.
     */
    void abort();
}
