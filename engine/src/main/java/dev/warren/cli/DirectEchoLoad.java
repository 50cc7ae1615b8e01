package dev.warren.cli;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The same closed-loop round trips as {@link TunnelEchoLoad}, sent straight to the echo service: {@code streams}
 * connections, each sending a random request of {@code payload} bytes, waiting for its whole echo, checking every
 * byte and sending the next, until the window ends.
 * <p>
 * <b>Threading.</b> {@link #run} is called by one thread and blocks it until the load is over. All connections
 * are driven by one selector thread of its own ({@code demo-direct-load}), which owns every connection and the
 * histogram; the caller reads the results only after joining it.
 */
final class DirectEchoLoad
{
    private final InetSocketAddress address;
    private final int streams;
    private final int payload;
    private final DemoErrors errors;
    private final Histogram latencyMicros = new Histogram(3);
    private long measureStartNs;
    private long measureEndNs;
    private long measuredRoundTrips;
    private long bytesVerified;
    private int active;

    DirectEchoLoad(final InetSocketAddress address, final int streams, final int payload, final DemoErrors errors)
    {
        this.address = address;
        this.streams = streams;
        this.payload = payload;
        this.errors = errors;
    }

    /** @return the result, or null when the connections could not all be opened (the reason is in the errors). */
    LoadResult run(final long warmupNs, final long durationNs) throws IOException, InterruptedException
    {
        final Selector selector = Selector.open();
        try
        {
            final SplittableRandom seeds = new SplittableRandom();
            for (int i = 0; i < streams; i++)
            {
                final SocketChannel channel;
                try
                {
                    channel = SocketChannel.open(address);
                }
                catch (final IOException ex)
                {
                    errors.add("direct connection " + i + ": cannot connect to " + address + ": " + ex.getMessage());
                    return null;
                }
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, new Connection(i, channel, payload, seeds.split()));
            }
            final Thread thread = new Thread(() -> runLoad(selector, warmupNs, durationNs), "demo-direct-load");
            thread.start();
            thread.join();
            return new LoadResult(measuredRoundTrips, durationNs / 1e9, latencyMicros, bytesVerified);
        }
        finally
        {
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
            selector.close();
        }
    }

    private void runLoad(final Selector selector, final long warmupNs, final long durationNs)
    {
        final long startNs = System.nanoTime();
        measureStartNs = startNs + warmupNs;
        measureEndNs = measureStartNs + durationNs;
        final long giveUpNs = measureEndNs + TunnelEchoLoad.STALL_TIMEOUT_NS;
        active = streams;
        try
        {
            for (final SelectionKey key : selector.keys())
            {
                ((Connection)key.attachment()).start(key);
            }
            while (active > 0)
            {
                selector.select(100);
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    ((Connection)key.attachment()).onReady(key);
                }
                if (System.nanoTime() - giveUpNs > 0)
                {
                    errors.add("direct round trips: " + active + " of " + streams + " connections stalled (no echo " +
                        "within " + TimeUnit.NANOSECONDS.toSeconds(TunnelEchoLoad.STALL_TIMEOUT_NS) + " s after the " +
                        "load window)");
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            errors.add("direct round trips: selector failed: " + ex.getMessage());
        }
    }

    /** One connection's closed loop; owned by the load thread. */
    private final class Connection
    {
        private final int id;
        private final SocketChannel channel;
        private final ByteBuffer request;
        private final ByteBuffer response;
        private final SplittableRandom random;
        private long sentNs;
        private boolean done;

        Connection(final int id, final SocketChannel channel, final int payload, final SplittableRandom random)
        {
            this.id = id;
            this.channel = channel;
            this.request = ByteBuffer.allocate(payload);
            this.response = ByteBuffer.allocate(payload);
            this.random = random;
        }

        void start(final SelectionKey key)
        {
            try
            {
                sendNext(key);
            }
            catch (final IOException ex)
            {
                fail(key, ex.getMessage());
            }
        }

        void onReady(final SelectionKey key)
        {
            if (done || !key.isValid())
            {
                return;
            }
            try
            {
                if (key.isWritable())
                {
                    channel.write(request);
                    if (!request.hasRemaining())
                    {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isReadable())
                {
                    if (channel.read(response) < 0)
                    {
                        fail(key, "the echo service finished the connection in the middle of the load");
                        return;
                    }
                    if (!response.hasRemaining())
                    {
                        onEcho(key);
                    }
                }
            }
            catch (final IOException ex)
            {
                fail(key, ex.getMessage());
            }
        }

        private void onEcho(final SelectionKey key) throws IOException
        {
            final long nowNs = System.nanoTime();
            if (request.hasRemaining())
            {
                fail(key, "echo arrived before the request was sent");
                return;
            }
            final int mismatch = request.flip().mismatch(response.flip());
            if (mismatch >= 0)
            {
                fail(key, "echoed byte " + mismatch + " of a request differs from the one sent");
                return;
            }
            bytesVerified += response.limit();
            if (sentNs - measureStartNs >= 0)
            {
                latencyMicros.recordValue(TimeUnit.NANOSECONDS.toMicros(nowNs - sentNs));
                measuredRoundTrips++;
            }
            sendNext(key);
        }

        private void sendNext(final SelectionKey key) throws IOException
        {
            final long nowNs = System.nanoTime();
            if (nowNs - measureEndNs >= 0)
            {
                finish(key);
                return;
            }
            random.nextBytes(request.array());
            request.clear();
            response.clear();
            sentNs = nowNs;
            channel.write(request);
            key.interestOps(request.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void fail(final SelectionKey key, final String reason)
        {
            errors.add("direct connection " + id + ": " + reason);
            finish(key);
        }

        private void finish(final SelectionKey key)
        {
            done = true;
            active--;
            key.cancel();
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
    }
}
