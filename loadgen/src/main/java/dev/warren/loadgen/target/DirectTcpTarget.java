package dev.warren.loadgen.target;

import dev.warren.engine.loop.EventLoop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A server reached straight over TCP, by {@link NioTransport}s on the load's own event loops. Immutable;
 * thread-safe.
 */
public final class DirectTcpTarget implements Target
{
    private final InetSocketAddress address;

    /** @param address resolved once, here, so that no connection attempt waits on DNS. */
    public DirectTcpTarget(final InetSocketAddress address)
    {
        this.address = address;
    }

    @Override
    public Transport newTransport(
        final EventLoop loop, final TransportHandler handler, final ByteBuffer scratch, final EchoVerifier verifier)
    {
        return new NioTransport(loop, address, handler, scratch, verifier == null ? null : verifier::verify, false);
    }

    @Override
    public String describe()
    {
        return address.getHostString() + ":" + address.getPort() + " (direct)";
    }

    @Override
    public void close()
    {
        // nothing started
    }
}
