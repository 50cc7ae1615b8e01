package dev.warren.loadgen.target;

import dev.warren.api.TcpSocket;
import dev.warren.engine.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * A private host reached through the tunnel: each connection attempt is one {@code connect()} on a binding (a VPC
 * Network with its destination, or a tcp VPC Service), driven by a {@link TunnelTransport}. Thread-safe if the
 * opener is (bindings are).
 */
public final class TunnelTarget extends BindingTarget
{
    private final Supplier<TcpSocket> opener;

    /**
     * @param opener      calls the binding's {@code connect()}; may throw a {@link dev.warren.api.WarrenException}.
     * @param description for reports.
     * @param owned       closed with the target (the embedded edge); null for none.
     */
    public TunnelTarget(final Supplier<TcpSocket> opener, final String description, final AutoCloseable owned)
    {
        super(description, owned);
        this.opener = opener;
    }

    @Override
    public Transport newTransport(
        final EventLoop loop, final TransportHandler handler, final ByteBuffer scratch, final EchoVerifier verifier)
    {
        return new TunnelTransport(loop, opener, handler, verifier);
    }
}
