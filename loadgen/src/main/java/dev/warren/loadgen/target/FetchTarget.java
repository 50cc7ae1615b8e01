package dev.warren.loadgen.target;

import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.engine.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code loadgen http --via}: requests sent with a binding's {@code fetch()} through an edge, one
 * {@link FetchTransport} per connection slot. Thread-safe if the fetcher is (bindings are).
 */
public final class FetchTarget extends BindingTarget
{
    private final Function<FetchRequest, CompletableFuture<FetchResponse>> fetcher;
    private final FetchRequest request;

    /**
     * @param fetcher     calls the binding's {@code fetch()}.
     * @param request     what every request is.
     * @param description for reports.
     * @param owned       closed with the target (the embedded edge); null for none.
     */
    public FetchTarget(
        final Function<FetchRequest, CompletableFuture<FetchResponse>> fetcher, final FetchRequest request,
        final String description, final AutoCloseable owned)
    {
        super(description, owned);
        this.fetcher = fetcher;
        this.request = request;
    }

    @Override
    public Transport newTransport(
        final EventLoop loop, final TransportHandler handler, final ByteBuffer scratch, final EchoVerifier verifier)
    {
        return new FetchTransport(loop, fetcher, request, handler);
    }
}
