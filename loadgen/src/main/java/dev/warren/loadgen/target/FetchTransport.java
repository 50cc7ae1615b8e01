package dev.warren.loadgen.target;

import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.WarrenException;
import dev.warren.engine.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * {@code loadgen http --via}: one "connection" of the load is a slot for one {@code fetch()} at a time. Each
 * request is a fetch of the same {@link FetchRequest} (the bytes handed to {@link #send} are not used); its body is
 * read whole and counted, and then the handler hears {@link TransportHandler#onResponse}. A fetch that fails counts
 * as the error its {@link WarrenException} code names ({@code connection_refused}, ...).
 * <p>
 * <b>Threading.</b> Owned by its event loop. The fetch completes on an engine thread; the outcome is handed to the
 * loop with {@link EventLoop#execute}, and dropped there if the transport was closed meanwhile.
 */
final class FetchTransport implements Transport
{
    private final EventLoop loop;
    private final Function<FetchRequest, CompletableFuture<FetchResponse>> fetcher;
    private final FetchRequest request;
    private final TransportHandler handler;

    private CompletableFuture<FetchResponse> inFlight;
    /** Set on the engine thread that completed the fetch; read by {@link #abort()}. */
    private volatile CompletableFuture<byte[]> bodyInFlight;
    private boolean closed;

    FetchTransport(
        final EventLoop loop, final Function<FetchRequest, CompletableFuture<FetchResponse>> fetcher,
        final FetchRequest request, final TransportHandler handler)
    {
        this.loop = loop;
        this.fetcher = fetcher;
        this.request = request;
        this.handler = handler;
    }

    @Override
    public void open()
    {
        loop.execute(() ->
        {
            if (!closed)
            {
                handler.onOpened();
            }
        });
    }

    @Override
    public boolean send(final ByteBuffer data)
    {
        if (closed)
        {
            return false;
        }
        final CompletableFuture<FetchResponse> fetch;
        try
        {
            fetch = fetcher.apply(request);
        }
        catch (final RuntimeException ex)
        {
            failLater(ex);
            return true;
        }
        inFlight = fetch;
        fetch.whenComplete((response, failure) ->
        {
            if (failure != null)
            {
                failLater(failure);
                return;
            }
            final CompletableFuture<byte[]> bytes = response.bytes();
            bodyInFlight = bytes;
            bytes.whenComplete((body, bodyFailure) ->
            {
                final long arrivalNs = System.nanoTime();
                if (bodyFailure != null)
                {
                    failLater(bodyFailure);
                    return;
                }
                loop.execute(() ->
                {
                    if (closed || inFlight != fetch)
                    {
                        return;
                    }
                    inFlight = null;
                    bodyInFlight = null;
                    if (body.length > 0)
                    {
                        handler.onReceived(body.length, arrivalNs, false);
                    }
                    if (!closed)
                    {
                        handler.onResponse(response.status(), arrivalNs);
                    }
                });
            });
        });
        return true;
    }

    @Override
    public void close()
    {
        closed = true;
    }

    @Override
    public void abort()
    {
        closed = true;
        final CompletableFuture<FetchResponse> fetch = inFlight;
        final CompletableFuture<byte[]> bytes = bodyInFlight;
        inFlight = null;
        bodyInFlight = null;
        if (fetch != null)
        {
            fetch.cancel(true); // resets the stream on both sides of the tunnel
        }
        if (bytes != null)
        {
            bytes.cancel(true);
        }
    }

    private void failLater(final Throwable failure)
    {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) &&
            cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final int kind;
        if (cause instanceof WarrenException warren)
        {
            kind = ErrorKind.of(warren.code());
        }
        else if (cause instanceof CancellationException)
        {
            return; // we cancelled it
        }
        else
        {
            kind = ErrorKind.RESET;
        }
        final String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        loop.execute(() ->
        {
            if (!closed)
            {
                closed = true;
                handler.onFailed(kind, detail);
            }
        });
    }
}
