package dev.warren.api;

/**
 * TLS between the caller and the private host on {@code connect()} (SPEC §4), end to end: the edge runs the TLS
 * client, the connector relays ciphertext. See {@link ConnectOptions} for verification and trust.
 */
public enum SecureTransport
{
    /** Plain TCP. */
    OFF,
    /**
     * TLS from the start: {@link TcpSocket#opened()} resolves once the handshake with the private host succeeded
     * (or fails with {@link ErrorCode#TLS_ERROR}); reads and writes are plaintext.
     */
    ON,
    /** Plain first, upgraded in place once with {@link TcpSocket#startTls()} (SMTP, IMAP, PostgreSQL ...). */
    STARTTLS
}
