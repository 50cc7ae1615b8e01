package dev.warren.engine.config;

import java.util.function.Function;

/**
 * {@code ${VAR}} references, read from the environment.
 * <p>
 * Chronicle's YAML tokeniser takes the opening brace of an unquoted {@code ${VAR}} for the start of a flow mapping,
 * so before it sees the text, {@link #protect} replaces the braces of each reference with a DEL byte (0x7F): same
 * length, so every offset and line stays true, and a byte that YAML forbids in a file ({@link SourceCheck} refuses
 * it), so a mark can only be one of ours. {@link #resolve} then substitutes the values into the text Chronicle read.
 * Values are substituted into text only, never parsed as YAML. Stateless; thread-safe.
 */
final class VariableReferences
{
    /** The byte that stands for the braces of a reference while Chronicle reads the text. */
    static final byte MARK = 0x7F;
    static final char MARK_CHAR = (char)MARK;
    /** Longest name between the braces that is treated as a reference. */
    static final int MAX_NAME_LENGTH = 128;

    private VariableReferences()
    {
    }

    /** Marks every {@code ${...}} closed on its own line, in place. */
    static void protect(final byte[] text, final int length)
    {
        for (int i = 0; i + 2 < length; i++)
        {
            if (text[i] == '$' && text[i + 1] == '{')
            {
                final int close = closingBrace(text, i + 2, length);
                if (close > 0)
                {
                    text[i + 1] = MARK;
                    text[close] = MARK;
                    i = close;
                }
            }
        }
    }

    private static int closingBrace(final byte[] text, final int from, final int length)
    {
        final int limit = Math.min(length, from + MAX_NAME_LENGTH + 1);
        for (int i = from; i < limit; i++)
        {
            final byte b = text[i];
            if (b == '}')
            {
                return i;
            }
            if (b == '\n' || b == '\r' || b == '{' || b == '"' || b == '\'' || b == '#')
            {
                return -1;
            }
        }
        return -1;
    }

    /** True when {@code text} holds a reference. */
    static boolean hasReference(final String text)
    {
        return text.indexOf(MARK_CHAR) >= 0;
    }

    /**
     * Replaces each reference in {@code text} with the variable's value.
     *
     * @throws UnresolvedReference naming the variable, when it is unset or its name is not one.
     */
    static String resolve(final String text, final Function<String, String> environment) throws UnresolvedReference
    {
        int open = text.indexOf("$" + MARK_CHAR);
        if (open < 0)
        {
            return text;
        }
        final StringBuilder resolved = new StringBuilder(text.length() + 32);
        int from = 0;
        while (open >= 0)
        {
            final int close = text.indexOf(MARK_CHAR, open + 2);
            if (close < 0)
            {
                break;
            }
            final String name = text.substring(open + 2, close);
            if (!isName(name))
            {
                throw new UnresolvedReference("'${" + name + "}' is not a variable reference: a name is letters, " +
                    "digits and '_', not starting with a digit");
            }
            final String value = environment.apply(name);
            if (value == null)
            {
                throw new UnresolvedReference("environment variable " + name + " is not set");
            }
            resolved.append(text, from, open).append(value);
            from = close + 1;
            open = text.indexOf("$" + MARK_CHAR, from);
        }
        return resolved.append(text, from, text.length()).toString();
    }

    /** The names of the well-formed references in {@code text}, in order (repeats included). */
    static java.util.List<String> names(final String text)
    {
        final java.util.List<String> names = new java.util.ArrayList<>();
        int open = text.indexOf("$" + MARK_CHAR);
        while (open >= 0)
        {
            final int close = text.indexOf(MARK_CHAR, open + 2);
            if (close < 0)
            {
                break;
            }
            final String name = text.substring(open + 2, close);
            if (isName(name))
            {
                names.add(name);
            }
            open = text.indexOf("$" + MARK_CHAR, close + 1);
        }
        return names;
    }

    /** {@code text} with its references shown as written, {@code ${NAME}}. */
    static String display(final String text)
    {
        if (!hasReference(text))
        {
            return text;
        }
        final StringBuilder shown = new StringBuilder(text);
        boolean opening = true;
        for (int i = 0; i < shown.length(); i++)
        {
            if (shown.charAt(i) == MARK_CHAR)
            {
                shown.setCharAt(i, opening ? '{' : '}');
                opening = !opening;
            }
        }
        return shown.toString();
    }

    private static boolean isName(final String name)
    {
        if (name.isEmpty() || Character.isDigit(name.charAt(0)))
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    /** A reference that cannot be resolved; the message names the variable, never a value. */
    static final class UnresolvedReference extends Exception
    {
        private static final long serialVersionUID = 1L;

        UnresolvedReference(final String message)
        {
            super(message, null, false, false);
        }
    }
}
