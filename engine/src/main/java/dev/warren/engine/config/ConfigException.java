package dev.warren.engine.config;

/**
 * A configuration file that cannot be used. It names the file, the line (1-based; 0 when no line applies, as for a
 * file that cannot be read), the key path ({@code edge.services[1].tunnel}, list indexes from 0; empty when the
 * problem is the file as a whole) and the problem, and its message is one line:
 * {@code edge.yaml:12: edge.services[1].tunnel: unknown tunnel 'ofice' (known: office)}. Control characters in it
 * (a key quoted with a {@code \n} in it) are escaped, so it stays one line.
 * <p>
 * The message never carries the value of a token. Immutable; thread-safe.
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String keyPath;
    private final String problem;

    /**
     * @param file    the file as the operator named it.
     * @param line    1-based, or 0 when no line applies.
     * @param keyPath the key path, or "" when the problem is the file as a whole.
     * @param problem what is wrong, without a secret in it.
     */
    public ConfigException(final String file, final int line, final String keyPath, final String problem)
    {
        super(format(file, line, keyPath, problem), null, false, false);
        this.file = file;
        this.line = line;
        this.keyPath = keyPath;
        this.problem = problem;
    }

    /** The file as the operator named it. */
    public String file()
    {
        return file;
    }

    /** The 1-based line, or 0 when no line applies. */
    public int line()
    {
        return line;
    }

    /** The key path, e.g. {@code edge.services[1].tunnel}; empty when the problem is the file as a whole. */
    public String keyPath()
    {
        return keyPath;
    }

    /** What is wrong, without the file, line and key. */
    public String problem()
    {
        return problem;
    }

    private static String format(final String file, final int line, final String keyPath, final String problem)
    {
        final StringBuilder message = new StringBuilder(file.length() + keyPath.length() + problem.length() + 16)
            .append(file);
        if (line > 0)
        {
            message.append(':').append(line);
        }
        message.append(": ");
        if (!keyPath.isEmpty())
        {
            message.append(keyPath).append(": ");
        }
        return oneLine(message.append(problem)).toString();
    }

    /**
     * Escapes line breaks and other control characters (a tab excepted): a key or value quoted in the file may hold
     * them ({@code "off\nice": x}), and a message that spans lines could forge a log line.
     */
    private static StringBuilder oneLine(final StringBuilder message)
    {
        for (int i = message.length() - 1; i >= 0; i--)
        {
            final char c = message.charAt(i);
            if (c == '\n')
            {
                message.replace(i, i + 1, "\\n");
            }
            else if (c == '\r')
            {
                message.replace(i, i + 1, "\\r");
            }
            else if ((Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029')
            {
                message.replace(i, i + 1, String.format("\\u%04x", (int)c));
            }
        }
        return message;
    }
}
