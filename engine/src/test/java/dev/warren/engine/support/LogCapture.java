package dev.warren.engine.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the engine's log records (System.Logger goes to java.util.logging) for one logger name. */
public final class LogCapture extends Handler implements AutoCloseable
{
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture(final String loggerName)
    {
        logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    @Override
    public void publish(final LogRecord record)
    {
        records.add(record);
    }

    public boolean contains(final String fragment)
    {
        for (final LogRecord record : records)
        {
            final String message = record.getMessage();
            if (message != null && message.contains(fragment))
            {
                return true;
            }
        }
        return false;
    }

    public List<LogRecord> records()
    {
        return records;
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
        logger.removeHandler(this);
    }
}
