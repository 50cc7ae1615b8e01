package dev.warren.engine.tunnel;

import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.loop.PooledBuffer;
import org.agrona.DirectBuffer;

/**
 * One stream of a {@link TunnelConnection}: the shared flow-control bookkeeping of both ends, with the end's own
 * behaviour (relay to a private host's socket, or hand bytes to an embedded caller) in a subclass.
 * <p>
 * <b>Credit.</b> {@code sendWindow} is what the peer lets us send; a subclass asks {@link #sendable()} before
 * producing data and calls {@link #stall()} when it is 0, to be called back in {@link #onSendCredit()}.
 * {@code receiveCredit} is what we let the peer send; bytes count against it until the subclass reports them
 * {@link #consumed}, and credit goes back in batches of half a window, doubling the window when a half-window
 * is owed again within two round trips (PROTOCOL.md §4).
 * <p>
 * <b>Threading.</b> Owned by its connection's event loop; not thread-safe.
 */
public abstract class TunnelStream
{
    /** Largest a stream's receive window grows to. Property {@code warren.tunnel.maxStreamWindow}. */
    public static final int MAX_STREAM_WINDOW = Integer.getInteger("warren.tunnel.maxStreamWindow", 16 * 1024 * 1024);
    /** Smallest payload worth appending to a half-full chunk rather than taking a fresh one. */
    private static final int MIN_APPEND = 4096;

    protected final TunnelConnection connection;
    int id;
    long sendWindow;
    long receiveCredit;
    int receiveWindow;
    private int pendingCredit;
    private long lastCreditNs;
    long unconsumed;
    boolean localFinSent;
    boolean remoteFinReceived;
    boolean ended;
    boolean stalled;
    boolean awaitingStreamCredit;

    protected TunnelStream(final TunnelConnection connection)
    {
        this.connection = connection;
    }

    public final int id()
    {
        return id;
    }

    public final TunnelConnection connection()
    {
        return connection;
    }

    public final boolean isEnded()
    {
        return ended;
    }

    /** The peer has half-closed: nothing more will arrive. */
    public final boolean isRemoteFinished()
    {
        return remoteFinReceived;
    }

    /** Bytes received and not yet consumed: bounded by the stream's window. */
    public final long unconsumed()
    {
        return unconsumed;
    }

    public final long sendWindow()
    {
        return sendWindow;
    }

    public final int receiveWindow()
    {
        return receiveWindow;
    }

    // ---- events from the connection ----------------------------------------------------------------------------

    /** DATA payload, valid only during the call. It counts as unconsumed until {@link #consumed} reports it. */
    protected abstract void onData(DirectBuffer buffer, int offset, int length);

    /** The peer half-closed: nothing more will arrive. */
    protected abstract void onRemoteFin();

    /** The peer reset the stream. The stream is already removed from its connection. */
    protected abstract void onReset(int code, String message);

    /** Credit arrived or the tunnel can take more: produce again if there is something to send. */
    protected abstract void onSendCredit();

    /** The connection is gone; the stream is already removed. Fail whatever is open with {@code code}. */
    protected abstract void onTerminated(int code, String message);

    // ---- for subclasses ----------------------------------------------------------------------------------------

    /** @return how many payload bytes may go out now in one DATA frame; 0 means wait ({@link #stall()}). */
    protected final int sendable()
    {
        if (ended || localFinSent || !connection.isWritable())
        {
            return 0;
        }
        final long window = Math.min(sendWindow, connection.sendWindow);
        return (int)Math.min(window, connection.maxDataPayload());
    }

    /**
     * Asks to be called back in {@link #onSendCredit()} when what blocks {@link #sendable()} clears: the stream's own
     * window (its WINDOW_UPDATE resumes it), or the connection's window or outbound room (the connection keeps a
     * list of such streams and resumes them in order).
     */
    protected final void stall()
    {
        if (ended)
        {
            return;
        }
        if (sendWindow <= 0)
        {
            if (!awaitingStreamCredit)
            {
                awaitingStreamCredit = true;
                connection.windowStalls++;
            }
        }
        else if (!stalled)
        {
            stalled = true;
            connection.windowStalls++;
            connection.stall(this);
        }
    }

    /**
     * Claims room in the tunnel's outbound queue for a DATA frame of up to {@code payload} bytes. Write the payload
     * at {@code chunk.byteBuffer().limit() + FrameHeader.LENGTH}, up to {@link #dataRoom}, then {@link #commitData}.
     */
    protected final PooledBuffer claimData(final int payload)
    {
        return connection.outbound.claim(FrameHeader.LENGTH + Math.min(payload, MIN_APPEND));
    }

    /** Payload bytes that fit in {@code chunk} after a DATA header. */
    protected static int dataRoom(final PooledBuffer chunk)
    {
        return chunk.room() - FrameHeader.LENGTH;
    }

    /** Writes the DATA header in front of {@code length} payload bytes already in place, and queues the frame. */
    protected final void commitData(final PooledBuffer chunk, final int length, final boolean fin)
    {
        if (length == 0 && !fin)
        {
            connection.outbound.commit(chunk, 0);
            return;
        }
        final int frameLength = TunnelFrameEncoder.dataHeader(
            chunk.view(), chunk.byteBuffer().limit(), id, fin, length);
        connection.outbound.commit(chunk, frameLength);
        sendWindow -= length;
        connection.sendWindow -= length;
        if (fin)
        {
            localFinSent = true;
        }
        connection.scheduleFlush();
        if (fin && remoteFinReceived)
        {
            onBothFinished();
        }
    }

    /**
     * The DATA payload being delivered, as a {@link java.nio.ByteBuffer} over the connection's read buffer, so a
     * relay writes it to a socket without copying. Valid only during {@link #onData}; the stream may move its
     * position.
     */
    protected final java.nio.ByteBuffer payload(final int offset, final int length)
    {
        return connection.payloadView(offset, length);
    }

    /** Half-closes our direction. */
    protected final void sendFin()
    {
        if (!localFinSent && !ended)
        {
            commitData(connection.outbound.claim(FrameHeader.LENGTH), 0, true);
        }
    }

    /** Resets the stream with {@code code} and removes it. */
    protected final void sendReset(final int code, final String message)
    {
        if (!ended)
        {
            connection.sendReset(id, code, message);
            connection.removeStream(this);
        }
    }

    /**
     * Reports {@code length} received bytes consumed by the application (written to the private host, handed to
     * the caller): the peer may send that much more.
     */
    protected final void consumed(final int length)
    {
        if (ended)
        {
            return; // removing the stream gave all its unconsumed bytes back to the connection already
        }
        unconsumed -= length;
        connection.connectionConsumed(length);
        if (remoteFinReceived)
        {
            return;
        }
        pendingCredit += length;
        if (pendingCredit >= receiveWindow >> 1)
        {
            final long now = System.nanoTime();
            int credit = pendingCredit;
            if (receiveWindow < MAX_STREAM_WINDOW && lastCreditNs != 0 && now - lastCreditNs < 2 * connection.rttNs())
            {
                credit += receiveWindow;
                receiveWindow <<= 1;
                connection.ensureReceiveWindow(receiveWindow + (receiveWindow >> 1));
            }
            lastCreditNs = now;
            pendingCredit = 0;
            receiveCredit += credit;
            connection.sendWindowUpdate(id, credit);
        }
    }

    /**
     * Both directions have sent FIN. The default removes the stream; a subclass that still has work (bytes for
     * the private host) overrides it and calls {@link #finish()} when done.
     */
    protected void onBothFinished()
    {
        finish();
    }

    /**
     * Whether this object may carry another stream of the same connection: it has ended (its connection no longer
     * knows it) and it is not in the connection's list of stalled streams (which would call it back).
     */
    protected final boolean isReusable()
    {
        return ended && !stalled;
    }

    /**
     * Makes an ended stream new again, for another stream of the same connection ({@link TunnelConnection#addStream}
     * gives it an id and windows). Only when {@link #isReusable()}; the subclass resets its own fields. Reuse keeps
     * one allocation per request off the hot path (issue 6: at most 64 bytes a request).
     */
    protected final void reuse()
    {
        if (!isReusable())
        {
            throw new IllegalStateException("stream " + id + " is still in use");
        }
        id = 0;
        sendWindow = 0;
        receiveCredit = 0;
        receiveWindow = 0;
        pendingCredit = 0;
        lastCreditNs = 0;
        unconsumed = 0;
        localFinSent = false;
        remoteFinReceived = false;
        awaitingStreamCredit = false;
        ended = false;
    }

    /** Removes the stream from its connection: it is over on both sides. */
    protected final void finish()
    {
        if (!ended)
        {
            connection.removeStream(this);
        }
    }
}
