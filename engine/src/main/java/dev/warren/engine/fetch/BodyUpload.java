package dev.warren.engine.fetch;

import dev.warren.api.ErrorCode;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A streamed request body (a caller's {@link Flow.Publisher}) written to an http stream's {@link TcpSocket} after
 * the request head: framed by {@code Content-Length} (the length is checked) or chunked (each buffer one chunk, the
 * last chunk on completion).
 * <p>
 * <b>Backpressure.</b> One buffer is requested at a time, and the next only when the socket's write of the previous
 * one completed, which {@code CallerStream} does once the bytes went into the tunnel within the stream's credit. So
 * a private host that reads slowly stops the publisher, and the memory an upload holds is the stream's window plus
 * one buffer, whatever the body's size. A buffer is never read after the next is requested, so a publisher that
 * reuses its buffer is safe.
 * <p>
 * <b>Failures.</b> More bytes than the declared length (caught before any of them is written), fewer, or the
 * publisher's {@code onError} fail the exchange with {@code request_invalid} through {@code onFailure}, which resets
 * the stream: the private host never sees a corrupt request, and the connector does not pool its connection. The
 * request is never complete at the host before the publisher completed: a chunked body's last chunk goes on
 * {@code onComplete}, and of a {@code Content-Length} body the very last byte is held back (copied) until then, so
 * a publisher that goes on past its declared length, or fails just after it, leaves the host with a cut request,
 * not a whole one that the caller did not mean. (A declared length of 0 is complete with the head.)
 * {@link #cancel()} (the caller cancelled, a timeout, the exchange ended) cancels the publisher's subscription.
 * <p>
 * <b>Threading.</b> The publisher is subscribed to, and asked for more, on {@link #DEMAND} threads, never on an event
 * loop nor the caller's thread: many publishers produce inside {@code request} (the JDK's
 * {@code BodyPublishers.ofInputStream} reads its stream there), and a blocking read must not stall a loop that
 * relays other streams. Publisher signals come on the publisher's threads, {@link #cancel()} from any thread; the
 * state is guarded by this object's monitor, and the subscription is called under it so its calls never overlap
 * (Reactive Streams §2.7).
 */
final class BodyUpload implements Flow.Subscriber<ByteBuffer>
{
    /**
     * Where publishers are subscribed to and asked for the next buffer: daemon threads made as uploads need them and
     * gone after 60 s idle, so a blocking publisher holds one thread, not an event loop.
     */
    private static final ExecutorService DEMAND = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory()
    {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(final Runnable task)
        {
            final Thread thread = new Thread(task, "warren-upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final TcpSocket socket;
    private final long declaredLength;
    private final String description;
    private final Consumer<WarrenException> onFailure;

    private Flow.Subscription subscription;
    private long sent;
    private boolean stopped;
    /** A {@code Content-Length} body's last byte, written on {@code onComplete}; -1 until all others were sent. */
    private int heldLastByte = -1;

    /**
     * @param socket         the http stream, its request head already written.
     * @param declaredLength the {@code Content-Length} sent, or -1 for chunked.
     * @param description    names the binding and the destination, for error messages.
     * @param onFailure      fails the exchange (and resets the stream).
     */
    BodyUpload(final TcpSocket socket, final long declaredLength, final String description,
        final Consumer<WarrenException> onFailure)
    {
        this.socket = socket;
        this.declaredLength = declaredLength;
        this.description = description;
        this.onFailure = onFailure;
    }

    /** Any thread: subscribes to {@code publisher} on an upload thread; the head must be written already. */
    void start(final Flow.Publisher<ByteBuffer> publisher)
    {
        DEMAND.execute(() ->
        {
            try
            {
                publisher.subscribe(this);
            }
            catch (final RuntimeException ex)
            {
                onError(ex);
            }
        });
    }

    /** Any thread: stops asking for the body (the exchange ended or was aborted). */
    void cancel()
    {
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            stopped = true;
            if (subscription != null)
            {
                subscription.cancel();
            }
        }
    }

    /** @return the body bytes written so far (for tests and diagnostics). */
    synchronized long sent()
    {
        return sent;
    }

    @Override
    public void onSubscribe(final Flow.Subscription newSubscription)
    {
        synchronized (this)
        {
            if (subscription != null || stopped)
            {
                newSubscription.cancel();
                return;
            }
            subscription = newSubscription;
            newSubscription.request(1);
        }
    }

    @Override
    public void onNext(final ByteBuffer item)
    {
        final int length = item.remaining();
        WarrenException failure = null;
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            if (length == 0)
            {
                subscription.request(1); // an empty chunk would end a chunked body: skip it
                return;
            }
            if (declaredLength >= 0 && sent + length > declaredLength)
            {
                failure = stop("the body publisher sent more than the declared length of " + declaredLength +
                    " bytes (" + (sent + length) + " so far)", null);
            }
            else
            {
                sent += length;
            }
        }
        if (failure != null)
        {
            onFailure.accept(failure);
            return;
        }
        if (declaredLength < 0)
        {
            socket.write(ByteBuffer.wrap((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            socket.write(item);
            socket.write(ByteBuffer.wrap(CRLF)).whenCompleteAsync(this::written, DEMAND);
        }
        else if (sent == declaredLength)
        {
            // The body's end: hold its last byte until onComplete says the publisher meant it to end here.
            final ByteBuffer view = item.duplicate();
            synchronized (this)
            {
                heldLastByte = view.get(view.limit() - 1) & 0xFF;
            }
            view.limit(view.limit() - 1);
            (view.hasRemaining() ? socket.write(view) : java.util.concurrent.CompletableFuture.<Void>completedFuture(null))
                .whenCompleteAsync(this::written, DEMAND);
        }
        else
        {
            socket.write(item).whenCompleteAsync(this::written, DEMAND);
        }
    }

    /** A write went into the tunnel: ask for the next buffer; a failed one means the stream ended. */
    private void written(final Void ignored, final Throwable error)
    {
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            if (error != null)
            {
                // The stream failed or ended (the exchange reports why); the host may have answered early.
                stopped = true;
                subscription.cancel();
                return;
            }
            subscription.request(1);
        }
    }

    @Override
    public void onError(final Throwable error)
    {
        final WarrenException failure;
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            failure = stop("the body publisher failed after " + sent + " bytes: " + error, error);
        }
        onFailure.accept(failure);
    }

    @Override
    public void onComplete()
    {
        WarrenException failure = null;
        final int lastByte;
        synchronized (this)
        {
            lastByte = heldLastByte;
            if (stopped)
            {
                return;
            }
            if (declaredLength >= 0 && sent != declaredLength)
            {
                failure = stop("the body publisher ended after " + sent + " of the declared " + declaredLength +
                    " bytes", null);
            }
            else
            {
                stopped = true;
            }
        }
        if (failure != null)
        {
            onFailure.accept(failure);
        }
        else if (declaredLength < 0)
        {
            socket.write(ByteBuffer.wrap(LAST_CHUNK));
        }
        else if (declaredLength > 0)
        {
            socket.write(ByteBuffer.wrap(new byte[] {(byte)lastByte}));
        }
    }

    /** Under the monitor: the upload is over and failed. */
    private WarrenException stop(final String reason, final Throwable cause)
    {
        stopped = true;
        if (subscription != null)
        {
            subscription.cancel();
        }
        return new WarrenException(ErrorCode.REQUEST_INVALID, description + ": " + reason, cause);
    }
}
