package dev.warren.engine.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A JDK {@link SSLEngine} driven over a non-blocking {@link SocketChannel} on an event loop: the handshake, then
 * plaintext reads and writes with the semantics of the socket's own ({@code 0} = try again when ready, {@code -1} =
 * end of stream), so code written for a socket can use either.
 * <p>
 * <b>Memory.</b> Three heap buffers per channel, each one TLS record large (about 16.7 KiB; the inbound one twice
 * that, so one socket read can bring more than a record): encrypted bytes in, encrypted bytes out, and decrypted
 * bytes that did not fit the reader's buffer. Nothing grows: {@link #write} accepts plaintext only while the previous
 * record has gone to the socket, and {@link #read} reads the socket only when no decrypted byte is left over, so a
 * slow peer or a slow reader stops the other side exactly as a plain socket would.
 * <p>
 * <b>Readiness.</b> Bytes may wait inside the channel with no socket readiness to announce them: a reader that stops
 * early must check {@link #hasBufferedInput()}, and a writer must keep {@code OP_WRITE} while
 * {@link #hasPendingOutput()}. Delegated tasks (certificate checks) run inline on the loop: they are CPU work.
 * <p>
 * <b>Ending.</b> {@link #read} returns -1 on the peer's {@code close_notify} and also on a plain end of stream
 * without one (the framing of what was read decides whether it was complete, as HTTP clients do);
 * {@link #closeOutbound()} sends our {@code close_notify}, best effort.
 * <p>
 * <b>Threading.</b> Owned by one event loop; not thread-safe.
 */
public final class TlsChannel implements ByteChannel, GatheringByteChannel
{
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    /** Encrypted bytes from the socket, in fill mode. */
    private ByteBuffer netIn;
    /** Encrypted bytes for the socket, in fill mode. */
    private final ByteBuffer netOut;
    /** Reused by {@link #write(ByteBuffer)}, so a single-buffer write allocates nothing. */
    private final ByteBuffer[] single = new ByteBuffer[1];
    /** Decrypted bytes the reader has not taken yet, in fill mode. */
    private ByteBuffer appIn;
    private boolean handshakeBegun;
    private boolean handshakeDone;
    private boolean inboundDone;
    private boolean open = true;

    /**
     * @param socket a connected, non-blocking socket.
     * @param engine a client- or server-mode engine, configured; its handshake has not begun.
     */
    public TlsChannel(final SocketChannel socket, final SSLEngine engine)
    {
        this.socket = socket;
        this.engine = engine;
        final SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(2 * session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    public SSLEngine engine()
    {
        return engine;
    }

    public boolean isHandshakeDone()
    {
        return handshakeDone;
    }

    /**
     * Advances the handshake as far as the socket allows.
     *
     * @return 0 once the handshake is complete (and its last bytes written), otherwise the {@link SelectionKey}
     * interest ({@code OP_READ} or {@code OP_WRITE}) to wait for before calling again.
     * @throws SSLException when the handshake fails (certificate refused, alert received, bad record).
     * @throws IOException  when the socket fails or the peer closed it during the handshake.
     */
    public int handshake() throws IOException
    {
        if (handshakeDone)
        {
            return 0;
        }
        if (!handshakeBegun)
        {
            handshakeBegun = true;
            engine.beginHandshake();
        }
        while (true)
        {
            if (!flushNet())
            {
                return SelectionKey.OP_WRITE;
            }
            switch (engine.getHandshakeStatus())
            {
                case NOT_HANDSHAKING:
                case FINISHED:
                    handshakeDone = true;
                    return 0;
                case NEED_TASK:
                    runTasks();
                    break;
                case NEED_WRAP:
                {
                    final SSLEngineResult result = engine.wrap(EMPTY, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        throw new SSLException("the TLS engine closed during the handshake");
                    }
                    break;
                }
                default: // NEED_UNWRAP, NEED_UNWRAP_AGAIN
                {
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
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED)
                    {
                        throw new SSLException("the peer closed TLS during the handshake");
                    }
                    final boolean stuck = result.getStatus() == SSLEngineResult.Status.OK &&
                        result.bytesConsumed() == 0 && result.bytesProduced() == 0 &&
                        result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || stuck)
                    {
                        ensureInRoom();
                        final int read = socket.read(netIn);
                        if (read < 0)
                        {
                            throw new SSLException("the peer closed the connection during the TLS handshake");
                        }
                        if (read == 0)
                        {
                            return SelectionKey.OP_READ;
                        }
                    }
                    break;
                }
            }
        }
    }

    /**
     * Reads decrypted bytes.
     *
     * @return bytes placed in {@code dst}; 0 when nothing is available yet (wait for {@code OP_READ}, unless
     * {@link #hasBufferedInput()}); -1 at the end of the peer's stream.
     * @throws SSLException on a bad record or an alert from the peer.
     */
    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        if (appIn.position() > 0)
        {
            return drainAppIn(dst);
        }
        if (inboundDone)
        {
            return -1;
        }
        while (true)
        {
            if (netIn.position() > 0)
            {
                final boolean direct = dst.remaining() >= engine.getSession().getApplicationBufferSize();
                final ByteBuffer target = direct ? dst : appIn;
                netIn.flip();
                final SSLEngineResult result;
                try
                {
                    result = engine.unwrap(netIn, target);
                }
                finally
                {
                    netIn.compact();
                }
                switch (result.getStatus())
                {
                    case OK:
                        afterPostHandshake(result);
                        if (result.bytesProduced() > 0)
                        {
                            return direct ? result.bytesProduced() : drainAppIn(dst);
                        }
                        continue; // a record without data (a session ticket, a key update)
                    case CLOSED:
                        inboundDone = true;
                        return appIn.position() > 0 ? drainAppIn(dst) : -1;
                    case BUFFER_OVERFLOW:
                        appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                        continue;
                    default: // BUFFER_UNDERFLOW: read more below
                        break;
                }
            }
            ensureInRoom();
            final int read = socket.read(netIn);
            if (read < 0)
            {
                inboundDone = true;
                try
                {
                    engine.closeInbound();
                }
                catch (final SSLException ignore)
                {
                    // no close_notify: the end of stream still ends it (see the class comment)
                }
                return -1;
            }
            if (read == 0)
            {
                return 0;
            }
        }
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        single[0] = src;
        try
        {
            return (int)write(single, 0, 1);
        }
        finally
        {
            single[0] = null;
        }
    }

    @Override
    public long write(final ByteBuffer[] srcs) throws IOException
    {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Encrypts and writes as much as the socket takes.
     *
     * @return plaintext bytes accepted: encrypted and written, or encrypted and waiting in the one outbound record
     * buffer (then {@link #hasPendingOutput()} is true; keep {@code OP_WRITE}).
     */
    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        long accepted = 0;
        while (true)
        {
            if (!flushNet())
            {
                return accepted;
            }
            if (!hasRemaining(srcs, offset, length))
            {
                return accepted;
            }
            final SSLEngineResult result = engine.wrap(srcs, offset, length, netOut);
            switch (result.getStatus())
            {
                case OK:
                    accepted += result.bytesConsumed();
                    if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK)
                    {
                        runTasks();
                    }
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0)
                    {
                        return accepted; // the engine waits for the peer (a post-handshake message)
                    }
                    break;
                case CLOSED:
                    throw new SSLException("TLS is closed for writing");
                default:
                    throw new SSLException("cannot encrypt: " + result.getStatus());
            }
        }
    }

    /**
     * Writes encrypted bytes still waiting.
     *
     * @return true when nothing is left waiting.
     */
    public boolean flush() throws IOException
    {
        return flushNet();
    }

    /** @return whether encrypted bytes wait for the socket ({@code OP_WRITE} is needed). */
    public boolean hasPendingOutput()
    {
        return netOut.position() > 0;
    }

    /** @return whether bytes wait inside the channel, which {@link #read} may return without socket readiness. */
    public boolean hasBufferedInput()
    {
        return appIn.position() > 0 || netIn.position() > 0;
    }

    /** Sends {@code close_notify} if the socket takes it now; never waits. The socket stays open. */
    public void closeOutbound()
    {
        try
        {
            engine.closeOutbound();
            if (flushNet())
            {
                engine.wrap(EMPTY, netOut);
                flushNet();
            }
        }
        catch (final IOException ignore)
        {
            // best effort: the socket closes next anyway
        }
    }

    @Override
    public boolean isOpen()
    {
        return open && socket.isOpen();
    }

    /** Closes the socket (no {@code close_notify}: call {@link #closeOutbound()} first for a clean close). */
    @Override
    public void close() throws IOException
    {
        open = false;
        socket.close();
    }

    private void afterPostHandshake(final SSLEngineResult result) throws IOException
    {
        SSLEngineResult.HandshakeStatus status = result.getHandshakeStatus();
        while (status == SSLEngineResult.HandshakeStatus.NEED_TASK || status == SSLEngineResult.HandshakeStatus.NEED_WRAP)
        {
            if (status == SSLEngineResult.HandshakeStatus.NEED_TASK)
            {
                runTasks();
            }
            else
            {
                if (!flushNet())
                {
                    return; // the answer goes out with the next write or flush
                }
                engine.wrap(EMPTY, netOut);
                flushNet();
            }
            status = engine.getHandshakeStatus();
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

    private boolean flushNet() throws IOException
    {
        if (netOut.position() == 0)
        {
            return true;
        }
        netOut.flip();
        try
        {
            socket.write(netOut);
        }
        finally
        {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    private int drainAppIn(final ByteBuffer dst)
    {
        appIn.flip();
        final int n = Math.min(appIn.remaining(), dst.remaining());
        final int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return n;
    }

    /** Room for at least one more record in {@link #netIn} (a peer's records may be larger than first announced). */
    private void ensureInRoom()
    {
        final int packet = engine.getSession().getPacketBufferSize();
        if (netIn.remaining() < packet)
        {
            netIn = grow(netIn, netIn.position() + packet);
        }
    }

    private static ByteBuffer grow(final ByteBuffer buffer, final int atLeast)
    {
        final ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity()));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }

    private static boolean hasRemaining(final ByteBuffer[] srcs, final int offset, final int length)
    {
        for (int i = offset; i < offset + length; i++)
        {
            if (srcs[i].hasRemaining())
            {
                return true;
            }
        }
        return false;
    }
}
