package dev.warren.loadgen.target;

import dev.warren.engine.loop.EventLoop;

import java.nio.ByteBuffer;

/**
 * Where the load goes: makes one {@link Transport} per connection attempt. {@link DirectTcpTarget} connects to an
 * address with a non-blocking socket on the load's own event loop; {@link TunnelTarget} opens streams with a
 * binding's {@code connect()} through an edge.
 * <p>
 * <b>Threading.</b> Thread-safe: {@link #newTransport} is called on each of the load's event loops.
 */
public interface Target extends AutoCloseable
{
    /**
     * @param loop     the event loop the connection lives on; the transport's handler is called there only.
     * @param handler  the connection.
     * @param scratch  the loop's receive buffer, shared by every transport of that loop (a transport that reads on
     *                 the loop's thread reads into it and holds nothing in it between calls).
     * @param verifier checks the bytes that come back against the payload; null to only count them. Owned by
     *                 the new transport, which starts it from the payload's first byte.
     */
    Transport newTransport(EventLoop loop, TransportHandler handler, ByteBuffer scratch, EchoVerifier verifier);

    /** For reports: {@code 127.0.0.1:7000}, or {@code office-net -> 10.0.0.5:6379 via edge.yaml}. */
    String describe();

    /** Stops what the target started (an embedded edge). */
    @Override
    void close();
}
