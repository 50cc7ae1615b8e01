package dev.warren.cli;

/**
 * The command line was wrong: an unknown command or option, or a bad option value. {@link WarrenMain} prints the
 * message on stderr and exits with {@link WarrenMain#EXIT_USAGE}.
 */
final class UsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    UsageException(final String message)
    {
        super(message);
    }
}
