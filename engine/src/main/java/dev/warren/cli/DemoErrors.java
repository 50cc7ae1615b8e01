package dev.warren.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The errors one demo run met: a count, and the first {@link #KEPT} messages. Any thread may add; the demo
 * succeeds only when none was added. Thread-safe.
 */
final class DemoErrors
{
    static final int KEPT = 10;

    private final List<String> first = new ArrayList<>(KEPT);
    private int count;

    synchronized void add(final String message)
    {
        count++;
        if (first.size() < KEPT)
        {
            first.add(message);
        }
    }

    synchronized int count()
    {
        return count;
    }

    synchronized List<String> first()
    {
        return List.copyOf(first);
    }

    /** A short description of {@code throwable} and its causes, for an error line. */
    static String describe(final Throwable throwable)
    {
        Throwable cause = throwable;
        while ((cause instanceof java.util.concurrent.ExecutionException ||
            cause instanceof java.util.concurrent.CompletionException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
