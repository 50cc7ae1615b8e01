package dev.warren.engine.edge;

import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.tunnel.TunnelStream;
import org.agrona.DirectBuffer;

/**
 * The http stream carrying one request of an {@link HttpFrontDoorConnection} to the connector and its response
 * back: tunnel events go to the connection, which decides what the client sees. Owned by the tunnel connection's
 * event loop (where the client connection lives while the stream does); not thread-safe.
 * <p>
 * The connection keeps its last stream and {@link #renew renews} it for the next request on the same tunnel
 * connection once it has ended, so a keep-alive client costs no stream object per request.
 */
final class HttpProxyStream extends TunnelStream implements EdgeStream
{
    private final HttpFrontDoorConnection owner;
    private long startNs;

    HttpProxyStream(final EdgeTunnelConnection connection, final HttpFrontDoorConnection owner, final long startNs)
    {
        super(connection);
        this.owner = owner;
        this.startNs = startNs;
    }

    /** Whether this ended stream may carry the next request of its owner on the same tunnel connection. */
    boolean isRenewable()
    {
        return isReusable();
    }

    /** Makes this ended stream a new one, for a request that started at {@code startNs}. */
    void renew(final long startNs)
    {
        reuse();
        this.startNs = startNs;
    }

    @Override
    public void onOpenSent()
    {
        owner.door.metrics.streams().opened();
        owner.onOpenSent(this);
    }

    @Override
    public void failBeforeOpen(final int wireCode, final String reason)
    {
        owner.onStreamNotSent(this, wireCode, reason);
    }

    @Override
    public boolean onOpenAck(final dev.warren.codec.tunnel.OpenAckDecoder ack)
    {
        owner.door.metrics.connectLatency().record(System.nanoTime() - startNs);
        return true;
    }

    @Override
    protected void onData(final DirectBuffer buffer, final int offset, final int length)
    {
        owner.onResponseBytes(this, buffer, offset, length);
    }

    @Override
    protected void onRemoteFin()
    {
        owner.onResponseEnd(this);
    }

    @Override
    protected void onReset(final int code, final String message)
    {
        owner.door.metrics.streams().failed(code);
        owner.onStreamFailed(this, code, message);
    }

    @Override
    protected void onTerminated(final int code, final String message)
    {
        owner.door.metrics.streams().failed(code);
        owner.onStreamFailed(this, code, message);
    }

    @Override
    protected void onSendCredit()
    {
        owner.onSendCredit(this);
    }

    /** Payload bytes that may go out now. */
    int room()
    {
        return sendable();
    }

    /** Waits for credit: {@link HttpFrontDoorConnection#onSendCredit} follows. */
    void waitForCredit()
    {
        stall();
    }

    /** Sends {@code length} bytes of {@code source}, at most {@link #room()}, as DATA frames. */
    void send(final DirectBuffer source, final int offset, final int length)
    {
        int at = offset;
        int remaining = length;
        while (remaining > 0)
        {
            final PooledBuffer chunk = claimData(remaining);
            final int n = Math.min(remaining, dataRoom(chunk));
            chunk.view().putBytes(chunk.byteBuffer().limit() + dev.warren.codec.tunnel.FrameHeader.LENGTH, source, at, n);
            commitData(chunk, n, false);
            at += n;
            remaining -= n;
        }
    }

    /** The request is complete. */
    void fin()
    {
        sendFin();
    }

    /** Response bytes the client has taken: the connector may send that much more. */
    void credit(final int length)
    {
        consumed(length);
    }

    /** Gives up on the exchange (the client left, or the response cannot be used). */
    void cancel(final int code, final String message)
    {
        sendReset(code, message);
    }

    /** The DATA payload being delivered, as a buffer over the tunnel's read buffer; valid during onData only. */
    java.nio.ByteBuffer view(final int offset, final int length)
    {
        return payload(offset, length);
    }

    boolean isOver()
    {
        return isEnded();
    }
}
