package dev.warren.testing;

import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Sends a text through {@code network.connect(address)} and returns what comes back before end-of-stream. */
final class Echo
{
    private Echo()
    {
    }

    static String roundTrip(final VpcNetwork network, final String address, final String text) throws Exception
    {
        return roundTrip(network.connect(address), text);
    }

    /** Sends a text through {@code socket}, half-closes it and returns what comes back before end-of-stream. */
    static String roundTrip(final TcpSocket socket, final String text) throws Exception
    {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<String> reply = new CompletableFuture<>();
        socket.readable().subscribe(new Flow.Subscriber<ByteBuffer>()
        {
            @Override
            public void onSubscribe(final Flow.Subscription s)
            {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(final ByteBuffer bytes)
            {
                while (bytes.hasRemaining())
                {
                    received.write(bytes.get());
                }
            }

            @Override
            public void onError(final Throwable failure)
            {
                reply.completeExceptionally(failure);
            }

            @Override
            public void onComplete()
            {
                reply.complete(received.toString(StandardCharsets.UTF_8));
            }
        });
        socket.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
        socket.closeWrite().get(5, TimeUnit.SECONDS);
        return reply.get(5, TimeUnit.SECONDS);
    }
}
