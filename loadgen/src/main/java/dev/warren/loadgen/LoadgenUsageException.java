package dev.warren.loadgen;

/** The command line of {@code warren loadgen} is wrong; the message says how, in one line. */
public final class LoadgenUsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    public LoadgenUsageException(final String message)
    {
        super(message, null, false, false);
    }
}
