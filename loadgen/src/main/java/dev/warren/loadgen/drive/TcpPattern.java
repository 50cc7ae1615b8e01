package dev.warren.loadgen.drive;

/** What each request of {@code loadgen tcp} is. */
public enum TcpPattern
{
    /**
     * Request/response: send {@code size} bytes, wait until the server has echoed all of them back, and check them. The
     * request is complete when the last byte of its echo arrives.
     */
    ECHO,
    /**
     * One-way: send {@code size} bytes; the request is complete when the connection has taken all of them (the kernel,
     * or the tunnel within the stream's credit). Whatever comes back is counted, and checked as an echo unless told
     * not to.
     */
    BULK,
    /**
     * {@code loadgen http}: send one HTTP/1.1 request (the plan's {@link LoadPlan#request()}); the request is complete
     * when its response has arrived whole, body included. The status class is counted; the bytes are not checked.
     */
    HTTP;

    /** {@code echo} or {@code bulk}. */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
