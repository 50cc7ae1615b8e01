package dev.warren.api;

/**
 * A binding call failed: one {@link ErrorCode}, a message naming the binding and the destination, and the cause
 * where there is one.
 */
public final class WarrenException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public WarrenException(final ErrorCode code, final String message)
    {
        this(code, message, null);
    }

    public WarrenException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code.code() + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code()
    {
        return code;
    }
}
