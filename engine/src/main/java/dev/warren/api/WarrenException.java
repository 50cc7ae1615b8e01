package dev.warren.api;

/**
 * A binding call failed: one {@link ErrorCode}, a message naming the binding and the destination, and the cause
 * where there is one.
 */
public final class WarrenException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Why the call failed. */
    private final ErrorCode code;

    /**
     * Creates the exception without a cause.
     *
     * @param code    why the call failed; not null.
     * @param message names the binding and the destination; the code is prepended to it.
     */
    public WarrenException(final ErrorCode code, final String message)
    {
        this(code, message, null);
    }

    /**
     * Creates the exception.
     *
     * @param code    why the call failed; not null.
     * @param message names the binding and the destination; the code is prepended to it.
     * @param cause   the underlying failure, or null.
     */
    public WarrenException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(code.code() + ": " + message, cause);
        this.code = code;
    }

    /**
     * Why the call failed.
     *
     * @return the code, never null.
     */
    public ErrorCode code()
    {
        return code;
    }
}
