package dev.warren.engine.tls;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A JDK {@link SSLEngine} driven over a byte stream that is not a socket (a tunnel stream): ciphertext goes in as the
 * transport delivers it ({@link #receive}) and out as the transport has room ({@link #drainOutbound}); plaintext
 * goes in one record at a time ({@link #wrap}) and comes out one record at a time ({@link #unwrap}). It never reads
 * or writes anything itself, so its owner keeps its own flow control: {@link TlsChannel} does the same job over a
 * {@code SocketChannel}.
 * <p>
 * <b>Memory.</b> Two heap buffers of one TLS record each (about 16.7 KiB): encrypted bytes out, and decrypted bytes
 * of the record being unwrapped; and encrypted bytes in, staged in a buffer of two records, with what the transport
 * delivered beyond that kept as copies. Nothing here stops the transport, so the owner must bound what it lets the
 * peer send: ciphertext counts as held ({@link #heldInbound()}) until the engine consumed it, and
 * {@link #takeConsumedInbound()} says how much was consumed, which is when a tunnel stream returns credit. Records are
 * unwrapped only when the owner asks for plaintext (its reader has demand), so a slow reader holds at most its
 * window of ciphertext. {@link #wrap} takes plaintext only when the previous record has been drained, so a slow
 * transport holds at most one record.
 * <p>
 * <b>Handshake.</b> {@link #beginHandshake()}, then {@link #handshake()} each time ciphertext arrives or output was
 * drained, until it returns {@link #DONE}. Delegated tasks (certificate checks) run inline: they are CPU work.
 * <p>
 * <b>Threading.</b> Owned by one event loop; not thread-safe.
 */
public final class TlsStreamCodec
{
    /** {@link #handshake()}: complete (its last record may still wait in {@link #pendingOutbound()}). */
    public static final int DONE = 0;
    /** {@link #handshake()}: more ciphertext from the peer is needed. */
    public static final int NEED_INPUT = 1;
    /** {@link #handshake()}: drain {@link #pendingOutbound()} to the transport, then call again. */
    public static final int NEED_DRAIN = 2;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    /** Encrypted bytes from the peer, staged for the engine, in fill mode. */
    private ByteBuffer netIn;
    /** Encrypted bytes the staging buffer had no room for, in arrival order. */
    private final ArrayDeque<ByteBuffer> queuedIn = new ArrayDeque<>();
    /** Encrypted bytes for the transport, in fill mode. */
    private final ByteBuffer netOut;
    /** Decrypted bytes not handed out yet, in fill mode. */
    private ByteBuffer appIn;
    private long held;
    private int consumed;
    private boolean begun;
    private boolean handshakeDone;
    private boolean inboundDone;
    private boolean outboundClosed;

    /** @param engine a client- or server-mode engine, configured; its handshake has not begun. */
    public TlsStreamCodec(final SSLEngine engine)
    {
        this.engine = engine;
        final int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(2 * packet);
        this.netOut = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    public SSLEngine engine()
    {
        return engine;
    }

    /** @return whether {@link #beginHandshake()} was called. */
    public boolean isBegun()
    {
        return begun;
    }

    /** @return whether the first handshake completed. */
    public boolean isHandshakeDone()
    {
        return handshakeDone;
    }

    /** @return whether the peer's {@code close_notify} was read: no more plaintext will come. */
    public boolean isInboundDone()
    {
        return inboundDone;
    }

    /** @return whether {@link #closeOutbound()} was called. */
    public boolean isOutboundClosed()
    {
        return outboundClosed;
    }

    // ---- ciphertext in ---------------------------------------------------------------------------------------------

    /** Takes ciphertext as the transport delivered it (copied; valid only during the call). */
    public void receive(final DirectBuffer buffer, final int offset, final int length)
    {
        held += length;
        int at = offset;
        int left = length;
        if (queuedIn.isEmpty())
        {
            final int direct = Math.min(left, netIn.remaining());
            buffer.getBytes(at, netIn, netIn.position(), direct);
            netIn.position(netIn.position() + direct);
            at += direct;
            left -= direct;
        }
        if (left > 0)
        {
            final byte[] copy = new byte[left];
            buffer.getBytes(at, copy);
            queuedIn.addLast(ByteBuffer.wrap(copy));
        }
    }

    /** @return ciphertext received and not consumed by the engine yet. */
    public long heldInbound()
    {
        return held;
    }

    /** @return ciphertext bytes the engine consumed since the last call: the transport may send that much more. */
    public int takeConsumedInbound()
    {
        final int taken = consumed;
        consumed = 0;
        return taken;
    }

    /**
     * Drops every held ciphertext byte (the reader is gone); they count as consumed.
     *
     * @return bytes dropped, also reported by the next {@link #takeConsumedInbound()}.
     */
    public long discardInbound()
    {
        final long dropped = held;
        consumed += (int)dropped;
        held = 0;
        netIn.clear();
        queuedIn.clear();
        appIn.clear();
        return dropped;
    }

    // ---- handshake -------------------------------------------------------------------------------------------------

    /** Starts the handshake: the first {@link #handshake()} call produces the ClientHello. */
    public void beginHandshake() throws SSLException
    {
        begun = true;
        engine.beginHandshake();
    }

    /**
     * Advances the handshake (also a renegotiation or a post-handshake message that needs an answer) as far as the
     * ciphertext received and the outbound room allow.
     *
     * @return {@link #DONE}, {@link #NEED_INPUT} or {@link #NEED_DRAIN}.
     * @throws SSLException when the handshake fails (certificate refused, alert received, not TLS at all).
     */
    public int handshake() throws SSLException
    {
        if (!begun)
        {
            return NEED_INPUT;
        }
        while (true)
        {
            switch (engine.getHandshakeStatus())
            {
                case NOT_HANDSHAKING:
                case FINISHED:
                    handshakeDone = true;
                    return DONE;
                case NEED_TASK:
                    runTasks();
                    break;
                case NEED_WRAP:
                {
                    if (netOut.position() > 0)
                    {
                        return NEED_DRAIN;
                    }
                    final SSLEngineResult result = engine.wrap(EMPTY, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED && !handshakeDone)
                    {
                        throw new SSLException("the TLS engine closed during the handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        return DONE;
                    }
                    break;
                }
                default: // NEED_UNWRAP, NEED_UNWRAP_AGAIN
                {
                    if (handshakeDone)
                    {
                        return DONE; // a renegotiation waits for the peer: unwrap() reads it with the data
                    }
                    final SSLEngineResult result = unwrapOnce();
                    if (result == null)
                    {
                        return NEED_INPUT;
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        inboundDone = true;
                        if (!handshakeDone)
                        {
                            throw new SSLException("the peer closed TLS during the handshake");
                        }
                        return DONE;
                    }
                    break;
                }
            }
        }
    }

    /** @return whether the engine has handshake work that needs no input ({@link #handshake()} makes progress). */
    public boolean needsHandshakeWork()
    {
        if (!handshakeDone)
        {
            return true;
        }
        final SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NEED_WRAP || status == SSLEngineResult.HandshakeStatus.NEED_TASK;
    }

    // ---- plaintext out ---------------------------------------------------------------------------------------------

    /**
     * Encrypts one record of {@code src} if the previous one has been drained.
     *
     * @return plaintext bytes consumed; 0 when output waits ({@link #pendingOutbound()}) or the engine waits for
     *         the peer (a renegotiation: drive {@link #handshake()} as ciphertext arrives).
     * @throws SSLException when the engine is closed for writing or fails.
     */
    public int wrap(final ByteBuffer src) throws SSLException
    {
        if (netOut.position() > 0 || !src.hasRemaining())
        {
            return 0;
        }
        final SSLEngineResult result = engine.wrap(src, netOut);
        if (result.getStatus() == SSLEngineResult.Status.CLOSED)
        {
            throw new SSLException("TLS is closed for writing");
        }
        if (result.getStatus() != SSLEngineResult.Status.OK)
        {
            throw new SSLException("cannot encrypt: " + result.getStatus());
        }
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK)
        {
            runTasks();
        }
        return result.bytesConsumed();
    }

    /** @return encrypted bytes waiting for the transport. */
    public int pendingOutbound()
    {
        return netOut.position();
    }

    /**
     * Moves up to {@code max} waiting encrypted bytes to {@code dst} at {@code index}.
     *
     * @return bytes moved.
     */
    public int drainOutbound(final MutableDirectBuffer dst, final int index, final int max)
    {
        final int length = Math.min(max, netOut.position());
        if (length > 0)
        {
            dst.putBytes(index, netOut, 0, length);
            netOut.flip();
            netOut.position(length);
            netOut.compact();
        }
        return length;
    }

    /**
     * Queues our {@code close_notify} (the transport's end of stream should follow it once drained). Call only when
     * {@link #pendingOutbound()} is 0. Best effort: a failure leaves nothing queued.
     */
    public void closeOutbound()
    {
        if (outboundClosed)
        {
            return;
        }
        outboundClosed = true;
        engine.closeOutbound();
        try
        {
            if (netOut.position() == 0)
            {
                engine.wrap(EMPTY, netOut);
            }
        }
        catch (final SSLException ignore)
        {
            // best effort: the stream ends next anyway
        }
    }

    // ---- plaintext in ----------------------------------------------------------------------------------------------

    /**
     * Decrypts until there is plaintext.
     *
     * @return a new buffer of plaintext (the caller's to keep), or null when more ciphertext is needed or the peer's
     *         {@code close_notify} was read ({@link #isInboundDone()}). Ciphertext consumed is reported by
     *         {@link #takeConsumedInbound()}; an answer the engine owes the peer (a key update) shows as
     *         {@link #needsHandshakeWork()}.
     * @throws SSLException on a bad record or an alert from the peer.
     */
    public ByteBuffer unwrap() throws SSLException
    {
        while (appIn.position() == 0 && !inboundDone)
        {
            final SSLEngineResult result = unwrapOnce();
            if (result == null)
            {
                return null;
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED)
            {
                inboundDone = true;
            }
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK)
            {
                runTasks();
            }
        }
        if (appIn.position() == 0)
        {
            return null;
        }
        appIn.flip();
        final byte[] copy = new byte[appIn.remaining()];
        appIn.get(copy);
        appIn.clear();
        return ByteBuffer.wrap(copy);
    }

    /** @return whether held ciphertext is only part of a record (at the transport's end: a truncated stream). */
    public boolean hasPartialRecord()
    {
        return held > 0 && !inboundDone;
    }

    /**
     * One {@code unwrap} from the staged ciphertext, topping the stage up from the queue and growing a buffer the
     * engine found too small.
     *
     * @return the result, or null when no whole record is held.
     */
    private SSLEngineResult unwrapOnce() throws SSLException
    {
        while (true)
        {
            refill();
            if (netIn.position() == 0)
            {
                return null;
            }
            netIn.flip();
            final SSLEngineResult result;
            try
            {
                result = engine.unwrap(netIn, appIn);
            }
            finally
            {
                netIn.compact();
            }
            consumed += result.bytesConsumed();
            held -= result.bytesConsumed();
            switch (result.getStatus())
            {
                case BUFFER_OVERFLOW:
                    appIn = grow(appIn, appIn.position() + engine.getSession().getApplicationBufferSize());
                    continue;
                case BUFFER_UNDERFLOW:
                    if (needMore())
                    {
                        return null;
                    }
                    continue;
                default:
                    if (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0 &&
                        result.bytesProduced() == 0 &&
                        result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP && needMore())
                    {
                        return null;
                    }
                    return result;
            }
        }
    }

    /**
     * The staged bytes are not a whole record: make room for more.
     *
     * @return true when no more is held (wait for the transport).
     */
    private boolean needMore()
    {
        if (!netIn.hasRemaining())
        {
            netIn = grow(netIn, netIn.position() + engine.getSession().getPacketBufferSize());
        }
        return queuedIn.isEmpty();
    }

    private void refill()
    {
        ByteBuffer next;
        while (netIn.hasRemaining() && (next = queuedIn.peekFirst()) != null)
        {
            final int n = Math.min(netIn.remaining(), next.remaining());
            final int limit = next.limit();
            next.limit(next.position() + n);
            netIn.put(next);
            next.limit(limit);
            if (!next.hasRemaining())
            {
                queuedIn.pollFirst();
            }
        }
    }

    private void runTasks()
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
    }

    private static ByteBuffer grow(final ByteBuffer buffer, final int atLeast)
    {
        final ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity()));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
