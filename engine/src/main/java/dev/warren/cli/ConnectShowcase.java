package dev.warren.cli;

import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.SocketInfo;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The demo's first steps: one {@code connect()} through the tunnel to the echo service, printed as it goes
 * (opened, with the addresses the connector used; a message sent; its echo). Stateless.
 * <p>
 * <b>Threading.</b> {@link #run} blocks the calling thread on the socket's futures, never an event loop: the
 * collecting subscriber only copies bytes.
 */
final class ConnectShowcase
{
    static final String MESSAGE = "hello through the tunnel";
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private ConnectShowcase()
    {
    }

    /** @throws IllegalStateException when the echo differs from what was sent. */
    static void run(final VpcNetwork network, final String address, final PrintStream out) throws Exception
    {
        out.printf("binding '%s': connect(\"%s\")%n", network.name(), address);
        final TcpSocket socket = network.connect(address);
        try
        {
            final SocketInfo info = socket.opened().get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
            out.printf("  opened: remote %s, local %s (as the connector sees them)%n",
                info.remoteAddress(), info.localAddress());
            final Collector collector = new Collector();
            socket.readable().subscribe(collector);
            socket.write(ByteBuffer.wrap(MESSAGE.getBytes(StandardCharsets.US_ASCII)))
                .get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
            out.printf("  sent:   \"%s\"%n", MESSAGE);
            socket.closeWrite().get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
            final String echoed = new String(collector.done.get(TIMEOUT_NS, TimeUnit.NANOSECONDS),
                StandardCharsets.US_ASCII);
            out.printf("  echoed: \"%s\"%n", echoed);
            socket.closed().get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
            out.println("  closed: both sides finished");
            if (!MESSAGE.equals(echoed))
            {
                throw new IllegalStateException("connect() echo differs: sent \"" + MESSAGE + "\", got \"" +
                    echoed + "\"");
            }
        }
        catch (final Exception ex)
        {
            socket.abort();
            throw ex;
        }
    }

    /**
     * {@code fetch()} of the private HTTP service through the binding.
     *
     * @throws IllegalStateException when the answer is not {@code 200} with the service's body.
     */
    static void runHttp(final VpcNetwork network, final String address, final PrintStream out) throws Exception
    {
        final String url = "http://" + address + "/hello";
        out.printf("binding '%s': fetch(\"%s\")%n", network.name(), url);
        final FetchResponse response = network.fetch(url).get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
        final String body = response.text().get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
        out.printf("  answer: %d %s, %s, body \"%s\"%n", response.status(), response.statusText(),
            response.headers().first("content-type"), body.strip());
        if (response.status() != 200 || !DemoHttpService.BODY.equals(body))
        {
            throw new IllegalStateException("fetch() answered " + response.status() + " with body \"" + body + "\"");
        }
    }

    /**
     * A {@code POST} through the binding whose body is a stream of {@code length} random bytes of unknown length
     * (so it goes chunked), produced as the tunnel takes them; the private service answers the SHA-256 it computed.
     *
     * @throws IllegalStateException when the service's SHA-256 or length differs from what was sent.
     */
    static void runUpload(final VpcNetwork network, final String address, final int length, final PrintStream out)
        throws Exception
    {
        final String url = "http://" + address + "/sha256";
        out.printf(Locale.ROOT, "binding '%s': fetch(POST \"%s\") with a streamed body of %,d bytes " +
            "(a Flow.Publisher, length unknown: chunked)%n", network.name(), url, length);
        final MessageDigest sent = DemoHttpService.sha256();
        final SplittableRandom random = new SplittableRandom();
        final InputStream source = new InputStream()
        {
            private long produced;

            @Override
            public int read()
            {
                final byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(final byte[] into, final int offset, final int count)
            {
                if (produced >= length)
                {
                    return -1;
                }
                final int size = (int)Math.min(count, length - produced);
                for (int i = 0; i < size; i++)
                {
                    into[offset + i] = (byte)random.nextInt();
                }
                synchronized (sent)
                {
                    sent.update(into, offset, size); // on an upload thread; read below on this one
                }
                produced += size;
                return size;
            }
        };
        final FetchResponse response = network.fetch(FetchRequest.builder(url).method("POST")
            .body(HttpRequest.BodyPublishers.ofInputStream(() -> source)).build())
            .get(TIMEOUT_NS * 4, TimeUnit.NANOSECONDS);
        final String answer = response.text().get(TIMEOUT_NS, TimeUnit.NANOSECONDS).strip();
        final String expected;
        synchronized (sent)
        {
            expected = HexFormat.of().formatHex(sent.digest()) + " " + length;
        }
        out.printf("  answer: %d, SHA-256 and length the private service read: %s%n", response.status(), answer);
        if (response.status() != 200 || !expected.equals(answer))
        {
            throw new IllegalStateException("the streamed upload arrived as \"" + answer + "\", expected \"" +
                expected + "\"");
        }
        out.println("  matches the SHA-256 of the bytes sent");
    }

    /** Collects every byte until end of stream. Called on an event loop; only copies. */
    private static final class Collector implements Flow.Subscriber<ByteBuffer>
    {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(final ByteBuffer item)
        {
            while (item.hasRemaining())
            {
                bytes.write(item.get());
            }
        }

        @Override
        public void onError(final Throwable error)
        {
            done.completeExceptionally(error);
        }

        @Override
        public synchronized void onComplete()
        {
            done.complete(bytes.toByteArray());
        }
    }
}
