package dev.warren.engine.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Flow.Subscriber} for {@code TcpSocket.readable()} that counts, hashes (SHA-256) and optionally keeps the
 * bytes; {@link #done()} completes at end of stream or fails with the stream's error. Requests
 * {@code batch} buffers at a time, or none until {@link #request} when {@code batch} is 0.
 */
public final class SocketReader implements Flow.Subscriber<ByteBuffer>
{
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicLong bytes = new AtomicLong();
    private final MessageDigest digest;
    private final ByteArrayOutputStream kept;
    private final long batch;
    private volatile Flow.Subscription subscription;
    private long outstanding;

    public SocketReader(final boolean keep, final long batch)
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        this.kept = keep ? new ByteArrayOutputStream() : null;
        this.batch = batch;
    }

    public static SocketReader keeping()
    {
        return new SocketReader(true, 16);
    }

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        this.subscription = subscription;
        if (batch > 0)
        {
            outstanding = batch;
            subscription.request(batch);
        }
    }

    @Override
    public void onNext(final ByteBuffer item)
    {
        final byte[] array = new byte[item.remaining()];
        item.get(array);
        synchronized (this)
        {
            digest.update(array);
            if (kept != null)
            {
                kept.write(array, 0, array.length);
            }
        }
        bytes.addAndGet(array.length);
        if (batch > 0 && --outstanding == 0)
        {
            outstanding = batch;
            subscription.request(batch);
        }
    }

    @Override
    public void onError(final Throwable throwable)
    {
        done.completeExceptionally(throwable);
    }

    @Override
    public void onComplete()
    {
        done.complete(null);
    }

    public void request(final long n)
    {
        subscription.request(n);
    }

    public CompletableFuture<Void> done()
    {
        return done;
    }

    public long bytes()
    {
        return bytes.get();
    }

    public synchronized byte[] sha256()
    {
        try
        {
            return ((MessageDigest)digest.clone()).digest();
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public synchronized byte[] keptBytes()
    {
        return kept.toByteArray();
    }
}
