package dev.warren.loadgen.target;

import dev.warren.api.ErrorCode;

/**
 * The kinds of error a load run counts, as small integers so that per-loop counters are plain arrays: the
 * transport-level kinds first ({@link #CONNECT}, {@link #TIMEOUT}, {@link #RESET}, {@link #CLOSED},
 * {@link #MISMATCH}), then one per SPEC §5 {@link ErrorCode} (what a tunnel stream fails with), in the enum's
 * order. Stateless; thread-safe.
 */
public final class ErrorKind
{
    /** The connection could not be opened (refused, unreachable, or no answer within the connect timeout). */
    public static final int CONNECT = 0;
    /** A request got no complete response within the request timeout. */
    public static final int TIMEOUT = 1;
    /** The connection failed under an open request or while idle (reset by the peer, broken pipe). */
    public static final int RESET = 2;
    /** The peer finished the connection in the middle of the load. */
    public static final int CLOSED = 3;
    /** The echo differed from what was sent, or more bytes came back than were sent. */
    public static final int MISMATCH = 4;
    /** {@code loadgen http}: a response that breaks HTTP/1.1 (its head or its framing), or bytes nobody asked for. */
    public static final int PROTOCOL = 5;

    private static final int CODE_BASE = 6;
    private static final ErrorCode[] CODES = ErrorCode.values();

    /** How many kinds there are. */
    public static final int COUNT = CODE_BASE + CODES.length;

    private static final String[] NAMES = new String[COUNT];

    static
    {
        NAMES[CONNECT] = "connect";
        NAMES[TIMEOUT] = "timeout";
        NAMES[RESET] = "reset";
        NAMES[CLOSED] = "closed";
        NAMES[MISMATCH] = "mismatch";
        NAMES[PROTOCOL] = "protocol";
        for (final ErrorCode code : CODES)
        {
            NAMES[CODE_BASE + code.ordinal()] = code.code();
        }
    }

    private ErrorKind()
    {
    }

    /** The kind of a tunnel failure carrying {@code code}. */
    public static int of(final ErrorCode code)
    {
        return CODE_BASE + code.ordinal();
    }

    /** The name reports use: {@code connect}, {@code timeout}, ..., or the SPEC §5 code. */
    public static String name(final int kind)
    {
        return NAMES[kind];
    }

    /** The kind named {@code name}, or -1. */
    public static int byName(final String name)
    {
        for (int i = 0; i < COUNT; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }
}
