package dev.warren.cli;

import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Closed-loop round trips through the tunnel: {@code streams} sockets from {@link VpcNetwork#connect(String)},
 * each sending a random request of {@code payload} bytes, waiting for its whole echo, checking every byte and
 * sending the next, until the window ends.
 * <p>
 * <b>Threading.</b> {@link #run} is called by one thread and blocks it until the load is over. The load itself is
 * driven by engine callbacks only (write futures and readable subscribers, on the engine's event loops): there is
 * no thread per stream, and nothing here blocks a loop. Latencies go to a {@link Recorder}, which loop threads
 * write to without waiting.
 */
final class TunnelEchoLoad
{
    /** How long opening the sockets may take. */
    static final long OPEN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** How long after the window a round trip may still be outstanding before the stream counts as stalled. */
    static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** How long a stream may take to close after the load. */
    static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final VpcNetwork network;
    private final String address;
    private final int streams;
    private final int payload;
    private final DemoErrors errors;

    TunnelEchoLoad(
        final VpcNetwork network, final String address, final int streams, final int payload, final DemoErrors errors)
    {
        this.network = network;
        this.address = address;
        this.streams = streams;
        this.payload = payload;
        this.errors = errors;
    }

    /** @return the result, or null when the sockets could not all be opened (the reasons are in the errors). */
    LoadResult run(final long warmupNs, final long durationNs) throws InterruptedException
    {
        final TcpSocket[] sockets = new TcpSocket[streams];
        for (int i = 0; i < streams; i++)
        {
            sockets[i] = network.connect(address);
        }
        if (!awaitOpened(sockets))
        {
            for (final TcpSocket socket : sockets)
            {
                socket.abort();
            }
            return null;
        }

        final Recorder recorder = new Recorder(3);
        final CountDownLatch finished = new CountDownLatch(streams);
        final long startNs = System.nanoTime();
        final long measureStartNs = startNs + warmupNs;
        final long measureEndNs = measureStartNs + durationNs;
        final Session[] sessions = new Session[streams];
        final SplittableRandom seeds = new SplittableRandom();
        for (int i = 0; i < streams; i++)
        {
            sessions[i] = new Session(
                i, sockets[i], payload, seeds.split(), measureStartNs, measureEndNs, recorder, finished, errors);
            sockets[i].readable().subscribe(sessions[i]);
        }

        final long waitNs = measureEndNs + STALL_TIMEOUT_NS - System.nanoTime();
        if (!finished.await(waitNs, TimeUnit.NANOSECONDS))
        {
            int stalled = 0;
            for (final Session session : sessions)
            {
                if (session.stall())
                {
                    stalled++;
                }
            }
            errors.add("tunnel round trips: " + stalled + " of " + streams + " streams stalled (no echo within " +
                TimeUnit.NANOSECONDS.toSeconds(STALL_TIMEOUT_NS) + " s after the load window)");
        }
        awaitClosed(sockets);

        long roundTrips = 0;
        long bytes = 0;
        for (final Session session : sessions)
        {
            roundTrips += session.measuredRoundTrips();
            bytes += session.bytesVerified();
        }
        return new LoadResult(roundTrips, durationNs / 1e9, recorder.getIntervalHistogram(), bytes);
    }

    private boolean awaitOpened(final TcpSocket[] sockets) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + OPEN_TIMEOUT_NS;
        boolean allOpened = true;
        for (int i = 0; i < sockets.length; i++)
        {
            try
            {
                sockets[i].opened().get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException ex)
            {
                errors.add("tunnel stream " + i + ": connect(" + address + ") failed: " + DemoErrors.describe(ex));
                allOpened = false;
            }
            catch (final TimeoutException ex)
            {
                errors.add("tunnel stream " + i + ": connect(" + address + ") did not open within " +
                    TimeUnit.NANOSECONDS.toSeconds(OPEN_TIMEOUT_NS) + " s");
                allOpened = false;
            }
        }
        return allOpened;
    }

    private void awaitClosed(final TcpSocket[] sockets) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + CLOSE_TIMEOUT_NS;
        for (int i = 0; i < sockets.length; i++)
        {
            try
            {
                sockets[i].closed().get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException ex)
            {
                errors.add("tunnel stream " + i + ": failed while closing: " + DemoErrors.describe(ex));
            }
            catch (final TimeoutException ex)
            {
                errors.add("tunnel stream " + i + ": not closed " +
                    TimeUnit.NANOSECONDS.toSeconds(CLOSE_TIMEOUT_NS) + " s after closeWrite()");
                sockets[i].abort();
            }
        }
    }

    /**
     * One stream's closed loop: send a request, take its echo, check it, send the next. Starts from
     * {@link #onSubscribe} and from then on runs in engine callbacks, normally all on the stream's event loop; its
     * methods are synchronized so that a callback delivered on another thread still sees consistent state (the
     * lock is uncontended in practice, so it never makes a loop wait).
     */
    private static final class Session implements Flow.Subscriber<ByteBuffer>, BiConsumer<Void, Throwable>
    {
        private final int id;
        private final TcpSocket socket;
        private final byte[] request;
        private final ByteBuffer requestBuffer;
        private final SplittableRandom random;
        private final long measureStartNs;
        private final long measureEndNs;
        private final Recorder recorder;
        private final CountDownLatch finished;
        private final DemoErrors errors;

        private int received;
        private boolean written;
        private long sentNs;
        private long measuredRoundTrips;
        private long bytesVerified;
        private boolean done;
        private boolean aborted;

        Session(
            final int id, final TcpSocket socket, final int payload, final SplittableRandom random,
            final long measureStartNs, final long measureEndNs, final Recorder recorder,
            final CountDownLatch finished, final DemoErrors errors)
        {
            this.id = id;
            this.socket = socket;
            this.request = new byte[payload];
            // write() sends from a duplicate, so this buffer's position never moves and it can be reused.
            this.requestBuffer = ByteBuffer.wrap(request);
            this.random = random;
            this.measureStartNs = measureStartNs;
            this.measureEndNs = measureEndNs;
            this.recorder = recorder;
            this.finished = finished;
            this.errors = errors;
        }

        @Override
        public synchronized void onSubscribe(final Flow.Subscription subscription)
        {
            // A closed loop never has more than one request's echo in flight, so unbounded demand stays bounded.
            subscription.request(Long.MAX_VALUE);
            sendNext();
        }

        @Override
        public synchronized void onNext(final ByteBuffer echoed)
        {
            if (done)
            {
                if (echoed.hasRemaining())
                {
                    fail(echoed.remaining() + " bytes arrived that were never sent");
                }
                return;
            }
            while (echoed.hasRemaining())
            {
                if (received == request.length)
                {
                    fail("more bytes echoed than the " + request.length + " sent");
                    return;
                }
                final byte actual = echoed.get();
                if (actual != request[received])
                {
                    fail("echoed byte " + received + " of a request is " + actual + ", sent " + request[received]);
                    return;
                }
                received++;
            }
            maybeRoundTripDone();
        }

        /** The write future completed. */
        @Override
        public synchronized void accept(final Void ignored, final Throwable error)
        {
            if (error != null)
            {
                fail("write failed: " + DemoErrors.describe(error));
                return;
            }
            written = true;
            maybeRoundTripDone();
        }

        @Override
        public synchronized void onError(final Throwable error)
        {
            if (!done)
            {
                fail("stream failed: " + DemoErrors.describe(error));
            }
            else if (!aborted)
            {
                errors.add("tunnel stream " + id + ": failed while closing: " + DemoErrors.describe(error));
            }
        }

        @Override
        public synchronized void onComplete()
        {
            if (!done)
            {
                fail("the echo service finished the stream in the middle of the load");
            }
        }

        synchronized long measuredRoundTrips()
        {
            return measuredRoundTrips;
        }

        synchronized long bytesVerified()
        {
            return bytesVerified;
        }

        /** The load timed out: ends this session if it is still going. @return true when it was. */
        synchronized boolean stall()
        {
            if (done)
            {
                return false;
            }
            done = true;
            aborted = true;
            socket.abort();
            return true;
        }

        private void maybeRoundTripDone()
        {
            if (received != request.length || !written || done)
            {
                return;
            }
            final long nowNs = System.nanoTime();
            bytesVerified += request.length;
            if (sentNs - measureStartNs >= 0)
            {
                recorder.recordValue(TimeUnit.NANOSECONDS.toMicros(nowNs - sentNs));
                measuredRoundTrips++;
            }
            sendNext();
        }

        private void sendNext()
        {
            final long nowNs = System.nanoTime();
            if (nowNs - measureEndNs >= 0)
            {
                done = true;
                socket.closeWrite();
                finished.countDown();
                return;
            }
            random.nextBytes(request);
            received = 0;
            written = false;
            sentNs = nowNs;
            socket.write(requestBuffer).whenComplete(this);
        }

        private void fail(final String reason)
        {
            errors.add("tunnel stream " + id + ": " + reason);
            if (!done)
            {
                done = true;
                aborted = true;
                socket.abort();
                finished.countDown();
            }
        }
    }
}
