package dev.warren.api;

/** TLS between the caller and the private host on {@code connect()} (SPEC §4). */
public enum SecureTransport
{
    /** Plain TCP. */
    OFF,
    /** TLS from the start. Not yet supported: {@code connect()} fails with {@code request_invalid}. */
    ON,
    /** Plain first, upgraded once with {@link TcpSocket#startTls()}. Not yet supported. */
    STARTTLS
}
