package dev.warren.codec.tunnel;

/**
 * The {@code u16} codes carried by {@code RESET} and {@code GO_AWAY} (PROTOCOL.md §5). Codes 1–10 are the
 * caller-visible codes of SPEC §5; the others belong to the tunnel itself.
 */
public final class WireCode
{
    public static final int NONE = 0;
    public static final int CONNECTION_REFUSED = 1;
    public static final int CONNECTION_TIMEOUT = 2;
    public static final int CONNECTION_TERMINATED = 3;
    public static final int CONNECTION_LIMIT_REACHED = 4;
    public static final int DESTINATION_UNAVAILABLE = 5;
    public static final int DESTINATION_NOT_ALLOWED = 6;
    public static final int DNS_ERROR = 7;
    public static final int TLS_ERROR = 8;
    public static final int PROTOCOL_ERROR = 9;
    public static final int REQUEST_INVALID = 10;
    public static final int AUTH_FAILED = 100;
    public static final int UNSUPPORTED_VERSION = 101;
    public static final int CANCELLED = 102;

    private WireCode()
    {
    }

    public static String name(final int code)
    {
        switch (code)
        {
            case NONE: return "none";
            case CONNECTION_REFUSED: return "connection_refused";
            case CONNECTION_TIMEOUT: return "connection_timeout";
            case CONNECTION_TERMINATED: return "connection_terminated";
            case CONNECTION_LIMIT_REACHED: return "connection_limit_reached";
            case DESTINATION_UNAVAILABLE: return "destination_unavailable";
            case DESTINATION_NOT_ALLOWED: return "destination_not_allowed";
            case DNS_ERROR: return "dns_error";
            case TLS_ERROR: return "tls_error";
            case PROTOCOL_ERROR: return "protocol_error";
            case REQUEST_INVALID: return "request_invalid";
            case AUTH_FAILED: return "auth_failed";
            case UNSUPPORTED_VERSION: return "unsupported_version";
            case CANCELLED: return "cancelled";
            default: return "unknown(" + code + ")";
        }
    }

    public static boolean isKnown(final int code)
    {
        return (code >= NONE && code <= REQUEST_INVALID) || (code >= AUTH_FAILED && code <= CANCELLED);
    }
}
