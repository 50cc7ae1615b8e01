package dev.warren.engine.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body for tests: a {@link Flow.Publisher} of {@code length} deterministic bytes ({@code Payloads.random}
 * per piece) that produces only on demand and records what it produced, what is asked of it and whether it was
 * cancelled. It can also fail after a number of bytes, or go on past its length. One subscriber.
 */
public final class BodySource implements Flow.Publisher<ByteBuffer>
{
    /** Bytes per buffer. */
    public static final int PIECE = 64 * 1024;

    private final long length;
    private final long failAfter;
    private final long extra;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final MessageDigest digest = Payloads.sha256();

    private BodySource(final long length, final long failAfter, final long extra)
    {
        this.length = length;
        this.failAfter = failAfter;
        this.extra = extra;
    }

    /** @return a source of exactly {@code length} bytes. */
    public static BodySource of(final long length)
    {
        return new BodySource(length, -1, 0);
    }

    /** @return a source that signals {@code onError} once it produced {@code failAfter} bytes. */
    public static BodySource failingAfter(final long length, final long failAfter)
    {
        return new BodySource(length, failAfter, 0);
    }

    /** @return a source that produces {@code extra} bytes more than {@code length}. */
    public static BodySource overlong(final long length, final long extra)
    {
        return new BodySource(length, -1, extra);
    }

    /** @return bytes handed to {@code onNext} so far. */
    public long produced()
    {
        return produced.get();
    }

    /** @return buffers requested and not yet produced. */
    public long outstanding()
    {
        return outstanding.get();
    }

    /** @return completes when the subscriber cancelled. */
    public CompletableFuture<Void> cancelled()
    {
        return cancelled;
    }

    /** @return the SHA-256 of the bytes produced (call once it completed). */
    public synchronized byte[] sha256()
    {
        return digest.digest();
    }

    @Override
    public void subscribe(final Flow.Subscriber<? super ByteBuffer> subscriber)
    {
        subscriber.onSubscribe(new Flow.Subscription()
        {
            private volatile boolean done;
            private final java.util.concurrent.atomic.AtomicInteger wip = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public void request(final long n)
            {
                outstanding.addAndGet(n);
                if (wip.getAndIncrement() != 0)
                {
                    return; // the thread emitting goes on (no recursion, no overlap)
                }
                int missed = 1;
                while (true)
                {
                    while (!done && outstanding.get() > 0)
                    {
                        final long at = produced.get();
                        if (failAfter >= 0 && at >= failAfter)
                        {
                            done = true;
                            subscriber.onError(new IOException("the body's source broke after " + at + " bytes"));
                            return;
                        }
                        if (at >= length + extra)
                        {
                            done = true;
                            subscriber.onComplete();
                            return;
                        }
                        final int size = (int)Math.min(PIECE, length + extra - at);
                        final byte[] piece = Payloads.random(at / PIECE, size);
                        synchronized (BodySource.this)
                        {
                            digest.update(piece);
                        }
                        produced.addAndGet(size);
                        outstanding.decrementAndGet();
                        subscriber.onNext(ByteBuffer.wrap(piece));
                    }
                    missed = wip.addAndGet(-missed);
                    if (missed == 0)
                    {
                        return;
                    }
                }
            }

            @Override
            public void cancel()
            {
                done = true;
                cancelled.complete(null);
            }
        });
    }
}
