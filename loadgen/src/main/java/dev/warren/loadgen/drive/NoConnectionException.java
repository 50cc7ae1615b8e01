package dev.warren.loadgen.drive;

/** Not one connection of a run could be opened, so there was no run; the message says why the first one failed. */
public final class NoConnectionException extends Exception
{
    private static final long serialVersionUID = 1L;

    public NoConnectionException(final String message)
    {
        super(message);
    }
}
