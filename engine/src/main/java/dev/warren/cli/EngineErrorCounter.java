package dev.warren.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts the errors the engine logs (level SEVERE, which {@code System.Logger} ERROR maps to) under
 * {@code dev.warren} while attached, so that the demo cannot pass while the engine reported a failure only in
 * its log. Records still reach the root handlers as usual. Thread-safe.
 */
final class EngineErrorCounter extends Handler
{
    private final Logger logger;
    private final AtomicInteger count = new AtomicInteger();
    private volatile String first;

    private EngineErrorCounter(final Logger logger)
    {
        this.logger = logger;
        setLevel(Level.SEVERE);
    }

    static EngineErrorCounter attach()
    {
        final EngineErrorCounter counter = new EngineErrorCounter(Logger.getLogger("dev.warren"));
        counter.logger.addHandler(counter);
        return counter;
    }

    @Override
    public void publish(final LogRecord record)
    {
        if (isLoggable(record) && count.getAndIncrement() == 0)
        {
            first = record.getLoggerName() + ": " + new LogLineFormatter().formatMessage(record);
        }
    }

    int count()
    {
        return count.get();
    }

    String first()
    {
        return first;
    }

    @Override
    public void flush()
    {
    }

    /** Detaches from the logger. */
    @Override
    public void close()
    {
        logger.removeHandler(this);
    }
}
