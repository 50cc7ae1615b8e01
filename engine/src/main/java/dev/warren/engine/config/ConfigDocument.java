package dev.warren.engine.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One configuration file being loaded: its name as the operator wrote it, its folder (relative paths in it are
 * relative to that), its bytes as Chronicle reads them, the lines, and the environment for {@code ${VAR}}. Makes the
 * {@link ConfigException}s, and keeps every secret value read so far so that none can reach a message.
 * <p>
 * <b>Threading.</b> Confined to the thread loading the file; not thread-safe.
 */
final class ConfigDocument
{
    private static final String REDACTED = "<redacted>";
    /** The key of a secret, wherever it appears (edge.tunnels[].token, connector.token). */
    private static final String TOKEN_KEY = "token";
    /** Shorter secrets are not redacted from messages: too likely to match ordinary words. */
    private static final int MIN_REDACTED_LENGTH = 4;

    private final String fileName;
    private final Path folder;
    private final byte[] text;
    private final int length;
    private final LineIndex lines;
    private final Function<String, String> environment;
    private final HostResolver resolver;
    private final List<String> secrets = new ArrayList<>();
    /**
     * Text that a {@code ${VAR}} put into the file, and how a message shows it instead: a whole resolved value (its
     * references as written) and each variable's value ({@code ${NAME}}). A message never prints what came from the
     * environment: a secret put in a non-token key by mistake stays out of logs (docs/FUZZING.md, finding 3).
     */
    private final java.util.Map<String, String> substituted = new java.util.HashMap<>();

    ConfigDocument(
        final String fileName, final Path folder, final byte[] text, final int length,
        final Function<String, String> environment, final HostResolver resolver)
    {
        this.fileName = fileName;
        this.folder = folder;
        this.text = text;
        this.length = length;
        this.lines = new LineIndex(text, length);
        this.environment = environment;
        this.resolver = resolver;
    }

    /** Resolves a host name of an address in the file (DNS, in production). */
    InetAddress resolveHost(final String host) throws UnknownHostException
    {
        return resolver.resolve(host);
    }

    String fileName()
    {
        return fileName;
    }

    Path folder()
    {
        return folder;
    }

    byte[] text()
    {
        return text;
    }

    int length()
    {
        return length;
    }

    /** The byte at {@code offset}, or -1 outside the text. */
    int byteAt(final long offset)
    {
        return offset >= 0 && offset < length ? text[(int)offset] & 0xFF : -1;
    }

    int lineOf(final long offset)
    {
        return lines.lineOf(offset);
    }

    LineIndex lines()
    {
        return lines;
    }

    /** A failure at {@code line} of {@code keyPath}; any secret read so far is redacted from {@code problem}. */
    ConfigException error(final int line, final String keyPath, final String problem)
    {
        String safe = problem;
        for (final String secret : secrets)
        {
            safe = safe.replace(secret, REDACTED);
        }
        if (!substituted.isEmpty())
        {
            final List<java.util.Map.Entry<String, String>> longestFirst = new ArrayList<>(substituted.entrySet());
            longestFirst.sort((a, b) -> b.getKey().length() - a.getKey().length());
            for (final java.util.Map.Entry<String, String> shown : longestFirst)
            {
                safe = hide(safe, shown.getKey(), shown.getValue());
            }
        }
        return new ConfigException(fileName, line, keyPath, safe);
    }

    /**
     * The value of {@code node} with its {@code ${VAR}} references resolved.
     *
     * @param secret true for a token: the value is remembered, to be redacted from every later message.
     */
    String resolve(final YamlNode.Text node, final String keyPath, final boolean secret) throws ConfigException
    {
        final String value;
        try
        {
            value = VariableReferences.resolve(node.text(), environment);
        }
        catch (final VariableReferences.UnresolvedReference ex)
        {
            throw error(node.line(), keyPath, ex.getMessage());
        }
        if (secret && value.length() >= MIN_REDACTED_LENGTH && !secrets.contains(value))
        {
            secrets.add(value);
        }
        if (!value.isEmpty() && VariableReferences.hasReference(node.text()))
        {
            substituted.putIfAbsent(value, VariableReferences.display(node.text()));
            for (final String name : VariableReferences.names(node.text()))
            {
                final String variable = environment.apply(name);
                if (variable != null && !variable.isEmpty())
                {
                    substituted.putIfAbsent(variable, "${" + name + "}");
                }
            }
        }
        return value;
    }

    /**
     * {@code message} with {@code value} shown as {@code shown}: everywhere when it is long enough not to be an
     * ordinary word or number ({@link #MIN_REDACTED_LENGTH}), only where quoted ({@code 'value'}) when shorter.
     */
    private static String hide(final String message, final String value, final String shown)
    {
        if (value.length() >= MIN_REDACTED_LENGTH)
        {
            return message.replace(value, shown);
        }
        return message.replace("'" + value + "'", "'" + shown + "'");
    }

    /**
     * Registers the value of every {@code token:} under {@code node} as a secret before anything else is read, so
     * that an error about another key that happens to hold the same value (a misplaced {@code ${OFFICE_TOKEN}})
     * cannot show it either. A token that cannot be resolved yet is skipped: reading it later reports that.
     */
    void registerTokens(final YamlNode node)
    {
        if (node instanceof YamlNode.Mapping)
        {
            for (final YamlNode.Entry entry : ((YamlNode.Mapping)node).entries())
            {
                if (TOKEN_KEY.equals(entry.key()) && entry.value() instanceof YamlNode.Text)
                {
                    try
                    {
                        resolve((YamlNode.Text)entry.value(), TOKEN_KEY, true);
                    }
                    catch (final ConfigException ex)
                    {
                        // Unset or malformed reference: reported, with its key and line, when the token is read.
                    }
                }
                else if (entry.value() != null)
                {
                    registerTokens(entry.value());
                }
            }
        }
        else if (node instanceof YamlNode.Sequence)
        {
            for (final YamlNode item : ((YamlNode.Sequence)node).items())
            {
                if (item != null)
                {
                    registerTokens(item);
                }
            }
        }
    }

    /** Resolves the host names of addresses: {@code InetAddress::getByName}, or a stand-in in tests. */
    @FunctionalInterface
    interface HostResolver
    {
        InetAddress resolve(String host) throws UnknownHostException;
    }
}
