package dev.warren.api;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A TCP connection to a private host through the tunnel (SPEC §4), returned at once by {@code connect()}.
 * <p>
 * <b>Reading.</b> {@link #readable()} is a single-subscriber {@link Flow.Publisher}: bytes arrive in order, as
 * much as you {@link Flow.Subscription#request(long) request}. Credit goes back to the private host's side only
 * for bytes you have received, so a subscriber that stops requesting stops the sender (backpressure), and memory
 * stays within the stream's window. The publisher completes when the private host finished sending, and
 * signals a {@link WarrenException} when the stream failed.
 * <p>
 * <b>Writing.</b> {@link #write} completes when the tunnel has taken the bytes within the stream's credit: if the
 * private host stops reading, writes stop completing. Until then the buffer belongs to the socket; do not
 * change it. Bytes are delivered in order, exactly once, or the socket fails with an error.
 * <p>
 * <b>TLS</b> ({@link ConnectOptions#secureTransport()}). With {@link SecureTransport#ON} or after
 * {@link #startTls()}, the edge runs TLS with the private host end to end (the connector relays only ciphertext); you
 * read and write plaintext, and backpressure works as above (a write completes when its last TLS record is in the
 * tunnel; records are decrypted only as you request them). {@link #closeWrite()} and {@link #close()} send
 * {@code close_notify} before our end of stream; the host's {@code close_notify} completes the readable side (and,
 * without {@code allowHalfOpen}, closes ours). Under TLS 1.2 a {@code close_notify} closes both directions, so a
 * half-closed TLS 1.2 socket cannot go on writing; TLS 1.3 keeps the other direction open. An end of stream without
 * {@code close_notify} also ends the readable side (the application's framing decides whether it was complete, as
 * with HTTPS), unless it cuts a TLS record, which fails the socket with {@code tls_error}.
 * <p>
 * Thread-safe. Futures complete and subscriber methods run on an engine event loop: do not block there.
 */
public interface TcpSocket extends AutoCloseable
{
    /**
     * Resolves once the private host accepted the connection, and with {@link SecureTransport#ON} once the TLS
     * handshake with it succeeded too; fails with a {@link WarrenException} whose code says why it did not
     * ({@code connection_refused}, {@code destination_not_allowed}, {@code tls_error}, ...).
     *
     * @return the same future on every call; completes on an event-loop thread.
     */
    CompletableFuture<SocketInfo> opened();

    /**
     * Resolves when both directions are finished; fails with a {@link WarrenException} when the stream failed.
     *
     * @return the same future on every call; completes on an event-loop thread.
     */
    CompletableFuture<Void> closed();

    /**
     * The bytes from the private host. One subscriber only; a second one gets {@code onError}. Each buffer passed
     * to {@code onNext} is the subscriber's to keep; credit goes back to the sender for it once {@code onNext}
     * returns. Subscriber methods run on an event-loop thread: do not block in them.
     *
     * @return the publisher.
     */
    Flow.Publisher<ByteBuffer> readable();

    /**
     * Queues {@code data} (from its position to its limit); completes when the tunnel has taken all of it, which
     * waits for the stream's credit (backpressure). Wait for one write before the next to keep memory bounded.
     *
     * @param data the bytes; owned by the socket until the future completes.
     * @return completes when the tunnel has taken every byte; fails with a {@link WarrenException} when the stream
     *         failed. Completes on an event-loop thread.
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /**
     * Finishes our writing side once queued writes are sent (the private host reads end-of-stream). The readable
     * side stays open.
     *
     * @return completes when the end of our side was sent.
     */
    CompletableFuture<Void> closeWrite();

    /**
     * Upgrades this socket to TLS in place ({@link SecureTransport#STARTTLS}), once. Writes issued before this call
     * still go out in plaintext, then the handshake starts; writes issued after it are encrypted. Call it only once
     * the host's last plaintext byte has arrived (typically after reading its answer to your protocol's STARTTLS
     * command): bytes received before the call are delivered in plaintext, in order, before any decrypted byte, and
     * everything received after it is read as TLS. The same {@link #readable()} subscriber goes on receiving, now
     * decrypted bytes. The host's certificate is checked as {@link ConnectOptions} says.
     *
     * @return completes with this same socket once the handshake succeeded; fails with {@code tls_error} when the
     *         handshake or the certificate check failed (the socket fails too), and with {@code request_invalid}
     *         when the socket is not {@link SecureTransport#STARTTLS} or this is the second call. Completes on an
     *         event-loop thread.
     */
    CompletableFuture<TcpSocket> startTls();

    /**
     * Closes both sides: queued writes are still sent, then our side finishes; what arrives afterwards is
     * discarded. {@link #closed()} resolves when the private host's side has finished too.
     */
    @Override
    void close();

    /** Ends the stream at once on both sides of the tunnel; queued writes are dropped. */
    void abort();
}
