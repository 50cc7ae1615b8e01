package com.example;

import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.testing.Binding;
import dev.warren.testing.WarrenTest;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How an embedder tests code that uses a binding: no remote infrastructure, one annotation. */
@WarrenTest(tunnel = "office", networks = {"office-net"}, allow = {"127.0.0.0/8"})
class PrivateEchoTest
{
    @Test
    void shouldReachAPrivateHostThroughTheBinding(@Binding("office-net") final VpcNetwork network) throws Exception
    {
        try (ServerSocket host = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final Thread accept = new Thread(() ->
            {
                try (Socket socket = host.accept())
                {
                    socket.getOutputStream().write("hello".getBytes());
                }
                catch (final Exception ignore)
                {
                    // test over
                }
            });
            accept.start();
            final TcpSocket socket = network.connect("127.0.0.1:" + host.getLocalPort());
            socket.opened().get(10, TimeUnit.SECONDS);
            final StringBuilder text = new StringBuilder();
            final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            socket.readable().subscribe(new java.util.concurrent.Flow.Subscriber<>()
            {
                public void onSubscribe(final java.util.concurrent.Flow.Subscription s)
                {
                    s.request(Long.MAX_VALUE);
                }

                public void onNext(final ByteBuffer b)
                {
                    text.append(java.nio.charset.StandardCharsets.UTF_8.decode(b));
                }

                public void onError(final Throwable t)
                {
                    done.completeExceptionally(t);
                }

                public void onComplete()
                {
                    done.complete(null);
                }
            });
            done.get(10, TimeUnit.SECONDS);
            assertEquals("hello", text.toString());
            accept.join(5_000);
        }
    }
}
