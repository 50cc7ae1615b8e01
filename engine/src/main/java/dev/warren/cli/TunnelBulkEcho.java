package dev.warren.cli;

import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One stream through the tunnel echoing a block of bytes: writes it all while reading it back, and checks every
 * byte. Backpressure both ways: at most {@link #WRITES_IN_FLIGHT} writes of {@link #WRITE_BYTES} are outstanding
 * (a write completes only when the tunnel has credit for it), and the reader asks for {@link #READ_BATCH} buffers
 * at a time.
 * <p>
 * <b>Threading.</b> {@link #run} is called by one thread and blocks it until the echo is over or timed out.
 * Writing and reading are driven by engine callbacks on event loops, starting when the reader is subscribed; their
 * state is guarded by their own locks so that a callback delivered on another thread still sees it consistently
 * (uncontended in practice, so a loop never waits on them).
 */
final class TunnelBulkEcho
{
    /** Bytes per {@link TcpSocket#write}. */
    static final int WRITE_BYTES = 256 * 1024;
    /** Writes outstanding at once. */
    static final int WRITES_IN_FLIGHT = 2;
    /** Buffers requested from the readable side at a time. */
    static final int READ_BATCH = 16;
    /** How long the whole echo may take. */
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private TunnelBulkEcho()
    {
    }

    /** @return the result, or null when the echo failed (the reasons are in the errors). */
    static BulkResult run(final VpcNetwork network, final String address, final byte[] data, final DemoErrors errors)
        throws InterruptedException
    {
        final TcpSocket socket = network.connect(address);
        try
        {
            socket.opened().get(TunnelEchoLoad.OPEN_TIMEOUT_NS, TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            errors.add("tunnel bulk: connect(" + address + ") failed: " + DemoErrors.describe(ex));
            socket.abort();
            return null;
        }

        final Writer writer = new Writer(socket, data, errors);
        final Reader reader = new Reader(socket, data, writer, errors);
        final long startNs = System.nanoTime();
        socket.readable().subscribe(reader);
        try
        {
            reader.done.get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException ex)
        {
            errors.add("tunnel bulk: " + DemoErrors.describe(ex));
        }
        catch (final TimeoutException ex)
        {
            errors.add("tunnel bulk: stalled after echoing " + reader.received() + " of " + data.length + " bytes (" +
                writer.written() + " written) in " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + " s");
            socket.abort();
            return null;
        }
        try
        {
            socket.closed().get(TunnelEchoLoad.CLOSE_TIMEOUT_NS, TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            errors.add("tunnel bulk: the stream did not close cleanly: " + DemoErrors.describe(ex));
            socket.abort();
        }
        return reader.received() == data.length ? new BulkResult(data.length, reader.lastByteNs() - startNs) : null;
    }

    /** Writes slices of the data, {@link #WRITES_IN_FLIGHT} at a time, then finishes the writing side. */
    private static final class Writer implements BiConsumer<Void, Throwable>
    {
        private final TcpSocket socket;
        private final byte[] data;
        private final DemoErrors errors;
        private int offset;
        private int inFlight;
        private boolean failed;
        private boolean finished;

        Writer(final TcpSocket socket, final byte[] data, final DemoErrors errors)
        {
            this.socket = socket;
            this.data = data;
            this.errors = errors;
        }

        synchronized void pump()
        {
            while (!failed && inFlight < WRITES_IN_FLIGHT && offset < data.length)
            {
                final int length = Math.min(WRITE_BYTES, data.length - offset);
                final ByteBuffer slice = ByteBuffer.wrap(data, offset, length);
                offset += length;
                inFlight++;
                socket.write(slice).whenComplete(this);
            }
            if (!failed && !finished && inFlight == 0 && offset == data.length)
            {
                finished = true;
                socket.closeWrite();
            }
        }

        @Override
        public synchronized void accept(final Void ignored, final Throwable error)
        {
            inFlight--;
            if (error != null)
            {
                if (!failed)
                {
                    failed = true;
                    errors.add("tunnel bulk: write failed after " + offset + " bytes: " + DemoErrors.describe(error));
                }
                return;
            }
            pump();
        }

        synchronized int written()
        {
            return offset;
        }
    }

    /** Checks the echoed bytes against the data; {@link #done} completes at end of stream. */
    private static final class Reader implements Flow.Subscriber<ByteBuffer>
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final TcpSocket socket;
        private final byte[] data;
        private final Writer writer;
        private final DemoErrors errors;
        private Flow.Subscription subscription;
        private int outstanding;
        private int received;
        private long lastByteNs;

        Reader(final TcpSocket socket, final byte[] data, final Writer writer, final DemoErrors errors)
        {
            this.socket = socket;
            this.data = data;
            this.writer = writer;
            this.errors = errors;
        }

        @Override
        public synchronized void onSubscribe(final Flow.Subscription subscription)
        {
            this.subscription = subscription;
            outstanding = READ_BATCH;
            subscription.request(READ_BATCH);
            // Writing starts from here, on the stream's event loop, so the writer's lock is never contended.
            writer.pump();
        }

        @Override
        public synchronized void onNext(final ByteBuffer echoed)
        {
            if (done.isDone())
            {
                return;
            }
            final int length = echoed.remaining();
            if (length > data.length - received)
            {
                fail("echoed more bytes than the " + data.length + " sent");
                return;
            }
            final int mismatch = ByteBuffer.wrap(data, received, length).mismatch(echoed);
            if (mismatch >= 0)
            {
                fail("echoed byte at offset " + (received + mismatch) + " differs from the one sent");
                return;
            }
            received += length;
            if (received == data.length)
            {
                lastByteNs = System.nanoTime();
            }
            if (--outstanding == 0)
            {
                outstanding = READ_BATCH;
                subscription.request(READ_BATCH);
            }
        }

        @Override
        public synchronized void onError(final Throwable error)
        {
            fail("the stream failed after echoing " + received + " bytes: " + DemoErrors.describe(error));
        }

        @Override
        public synchronized void onComplete()
        {
            if (received != data.length)
            {
                fail("the stream ended after echoing " + received + " of " + data.length + " bytes");
                return;
            }
            done.complete(null);
        }

        synchronized int received()
        {
            return received;
        }

        synchronized long lastByteNs()
        {
            return lastByteNs;
        }

        private void fail(final String reason)
        {
            if (!done.isDone())
            {
                errors.add("tunnel bulk: " + reason);
                socket.abort();
                done.complete(null);
            }
        }
    }
}
