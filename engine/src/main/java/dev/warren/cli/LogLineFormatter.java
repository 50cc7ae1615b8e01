package dev.warren.cli;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Formats one {@code java.util.logging} record as one line:
 * {@code 2026-11-27T01:02:03.456Z INFO  dev.warren.edge  connector connected: ...}. Levels are written with the
 * {@link System.Logger.Level} names the engine logs with (ERROR, WARN, INFO, DEBUG, TRACE); a thrown exception is
 * appended to the same line. Stateless; thread-safe.
 */
final class LogLineFormatter extends Formatter
{
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * Makes the root logger print through this formatter at {@code level}: replaces the formatter of every root
     * handler, adding a console handler (stderr) when there is none. Call once, at start-up.
     */
    static void install(final Level level)
    {
        final Logger root = Logger.getLogger("");
        if (root.getHandlers().length == 0)
        {
            root.addHandler(new ConsoleHandler());
        }
        final LogLineFormatter formatter = new LogLineFormatter();
        for (final Handler handler : root.getHandlers())
        {
            handler.setFormatter(formatter);
            handler.setLevel(level);
        }
        root.setLevel(level);
    }

    @Override
    public String format(final LogRecord record)
    {
        final StringBuilder line = new StringBuilder(128)
            .append(TIMESTAMP.format(record.getInstant()))
            .append(' ');
        final String level = levelName(record.getLevel());
        line.append(level);
        for (int i = level.length(); i < 6; i++)
        {
            line.append(' ');
        }
        line.append(record.getLoggerName() == null ? "-" : record.getLoggerName())
            .append("  ")
            .append(formatMessage(record));
        final Throwable thrown = record.getThrown();
        if (thrown != null)
        {
            line.append(" | ").append(thrown);
            for (Throwable cause = thrown.getCause(); cause != null && cause != thrown; cause = cause.getCause())
            {
                line.append(" | caused by ").append(cause);
            }
        }
        return line.append(System.lineSeparator()).toString();
    }

    static String levelName(final Level level)
    {
        final int value = level.intValue();
        if (value >= Level.SEVERE.intValue())
        {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue())
        {
            return "WARN";
        }
        if (value >= Level.INFO.intValue())
        {
            return "INFO";
        }
        if (value >= Level.FINE.intValue())
        {
            return "DEBUG";
        }
        return "TRACE";
    }
}
