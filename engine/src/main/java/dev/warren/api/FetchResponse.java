package dev.warren.api;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The answer to a {@code fetch()}: status and headers at once, the body as a stream (SPEC §3). HTTP error statuses
 * are responses too ({@link #ok()} is false). Thread-safe; read the body once, either with {@link #body()} or
 * with one of the convenience readers.
 */
public interface FetchResponse
{
    /** @return the status code, e.g. 200. */
    int status();

    /** @return the reason phrase the host sent, possibly empty. */
    String statusText();

    /** @return true for a 2xx status. */
    default boolean ok()
    {
        return status() >= 200 && status() < 300;
    }

    /** @return the response header fields. */
    HttpHeaders headers();

    /** @return the URL of this response: the last one when redirects were followed. */
    URI url();

    /** @return true when at least one redirect was followed to get here. */
    boolean redirected();

    /**
     * The body, streamed: bytes arrive as the subscriber requests them, and credit goes back to the private host only
     * for what was delivered, so a 10 GiB body never needs 10 GiB of memory. One subscriber. Completes at the end
     * of the body; fails with a {@link WarrenException} when the body was cut short.
     *
     * @return the body publisher.
     */
    Flow.Publisher<ByteBuffer> body();

    /** @return the whole body, for bodies that fit in memory. */
    CompletableFuture<byte[]> bytes();

    /** @return the whole body as text (UTF-8 unless the {@code Content-Type} says another charset). */
    CompletableFuture<String> text();
}
