package dev.warren.engine.edge;

import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** A socket that failed before any stream existed (no live tunnel connection). Immutable; thread-safe. */
final class FailedSocket implements TcpSocket
{
    private final WarrenException error;

    FailedSocket(final WarrenException error)
    {
        this.error = error;
    }

    @Override
    public CompletableFuture<SocketInfo> opened()
    {
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public CompletableFuture<Void> closed()
    {
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public Flow.Publisher<ByteBuffer> readable()
    {
        return subscriber ->
        {
            subscriber.onSubscribe(new Flow.Subscription()
            {
                @Override
                public void request(final long n)
                {
                }

                @Override
                public void cancel()
                {
                }
            });
            subscriber.onError(error);
        };
    }

    @Override
    public CompletableFuture<Void> write(final ByteBuffer data)
    {
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public CompletableFuture<Void> closeWrite()
    {
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public CompletableFuture<TcpSocket> startTls()
    {
        return CompletableFuture.failedFuture(error);
    }

    @Override
    public void close()
    {
    }

    @Override
    public void abort()
    {
    }
}
