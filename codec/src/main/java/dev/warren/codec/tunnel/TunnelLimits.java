package dev.warren.codec.tunnel;

/**
 * What one side of a tunnel connection accepts, announced in the handshake (PROTOCOL.md §2). Immutable.
 *
 * @param maxConcurrentStreams streams the announcer will have open at once.
 * @param maxFramePayload      largest payload the announcer will read in one frame.
 * @param initialStreamWindow  credit the announcer grants each new stream.
 * @param connectionWindow     credit the announcer grants the whole connection.
 */
public record TunnelLimits(int maxConcurrentStreams, int maxFramePayload, int initialStreamWindow, int connectionWindow)
{
    public static final int ENCODED_LENGTH = 16;

    /** The smallest frame payload a peer may announce: every control frame must fit. */
    public static final int MIN_FRAME_PAYLOAD = 1024;
    /** The largest frame payload a peer may announce. */
    public static final int MAX_FRAME_PAYLOAD = 1 << 20;

    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 8192;
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 65_536;
    public static final int DEFAULT_INITIAL_STREAM_WINDOW = Integer.getInteger("warren.tunnel.initialStreamWindow", 256 * 1024);
    public static final int DEFAULT_CONNECTION_WINDOW = 16 * 1024 * 1024;

    public static final TunnelLimits DEFAULTS = new TunnelLimits(
        DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_FRAME_PAYLOAD, DEFAULT_INITIAL_STREAM_WINDOW,
        DEFAULT_CONNECTION_WINDOW);

    /**
     * @return null when these limits are usable, otherwise why not.
     */
    public String validate()
    {
        if (maxConcurrentStreams < 1)
        {
            return "maxConcurrentStreams must be at least 1: " + maxConcurrentStreams;
        }
        if (maxFramePayload < MIN_FRAME_PAYLOAD || maxFramePayload > MAX_FRAME_PAYLOAD)
        {
            return "maxFramePayload must be " + MIN_FRAME_PAYLOAD + ".." + MAX_FRAME_PAYLOAD + ": " + maxFramePayload;
        }
        if (initialStreamWindow < 1024)
        {
            return "initialStreamWindow must be at least 1024: " + initialStreamWindow;
        }
        if (connectionWindow < initialStreamWindow)
        {
            return "connectionWindow must be at least initialStreamWindow: " + connectionWindow;
        }
        return null;
    }
}
