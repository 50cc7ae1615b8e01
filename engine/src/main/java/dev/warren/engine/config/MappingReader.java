package dev.warren.engine.config;

import dev.warren.engine.net.HostPort;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads typed values from one YAML mapping of a configuration file, knowing the mapping's key path
 * ({@code edge.services[1]}) and line, so that every failure names the file, the key and the line: an unknown key
 * (with a "did you mean"), a missing one, a value of the wrong type, a bad number, choice or address, and the
 * {@link IllegalArgumentException} of a configuration record built from it ({@link #build}).
 * <p>
 * An absent key, an empty value ({@code key:}) and a plain {@code ~} or {@code null} all mean "not given".
 * {@code ${VAR}} references are resolved as each value is read, so an unset variable is reported at its key.
 * <p>
 * <b>Threading.</b> Confined to the thread loading the file; not thread-safe.
 */
final class MappingReader
{
    private final ConfigDocument document;
    private final String path;
    private final int line;
    private final YamlNode.Mapping mapping;

    private MappingReader(
        final ConfigDocument document, final String path, final int line, final YamlNode.Mapping mapping)
    {
        this.document = document;
        this.path = path;
        this.line = line;
        this.mapping = mapping;
    }

    /**
     * The top of a file, which must be a mapping holding {@code rootKey}.
     *
     * @param otherRootKey the top key of the other kind of file, and {@code otherCommand} the command that reads it:
     *                     named in the error when the operator gave the wrong file.
     */
    static MappingReader root(
        final ConfigDocument document, final YamlNode root, final String rootKey, final String otherRootKey,
        final String otherCommand) throws ConfigException
    {
        if (root == null)
        {
            throw document.error(1, rootKey, "missing: the file is empty; it must start with '" + rootKey + ":'");
        }
        if (!(root instanceof YamlNode.Mapping))
        {
            throw document.error(root.line(), rootKey, "missing: the file must start with '" + rootKey +
                ":', but it starts with " + root.kind() + " (is it a YAML file?)");
        }
        final MappingReader top = new MappingReader(document, "", root.line(), (YamlNode.Mapping)root);
        final YamlNode.Entry other = top.mapping.entry(otherRootKey);
        if (other != null && top.mapping.entry(rootKey) == null)
        {
            throw document.error(other.line(), otherRootKey, "unknown key: this is " +
                ("aeiou".indexOf(otherRootKey.charAt(0)) >= 0 ? "an " : "a ") + otherRootKey + " file; run 'warren " +
                otherCommand + " --config FILE' with it");
        }
        return top;
    }

    String path()
    {
        return path;
    }

    int line()
    {
        return line;
    }

    String pathOf(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The line of {@code key}, or of this mapping when the key is absent. */
    int lineOf(final String key)
    {
        final YamlNode.Entry entry = mapping.entry(key);
        return entry == null ? line : entry.line();
    }

    /** A failure of {@code key}, at its line (this mapping's when absent). */
    ConfigException error(final String key, final String problem)
    {
        return document.error(lineOf(key), pathOf(key), problem);
    }

    /** A failure of this mapping as a whole, at its line. */
    ConfigException error(final String problem)
    {
        return document.error(line, path, problem);
    }

    /** Refuses the first key, in file order, that is not one of {@code keys}. */
    void allowOnly(final Collection<String> keys) throws ConfigException
    {
        for (final YamlNode.Entry entry : mapping.entries())
        {
            if (!keys.contains(entry.key()))
            {
                throw document.error(entry.line(), pathOf(entry.key()),
                    "unknown key" + KeySuggestions.hint(entry.key(), keys));
            }
        }
    }

    /** True when {@code key} is present with a value. */
    boolean has(final String key)
    {
        final YamlNode.Entry entry = mapping.entry(key);
        return entry != null && !isNull(entry.value());
    }

    /**
     * The text of {@code key}, {@code ${VAR}} resolved; null when not given and not {@code required}.
     *
     * @param secret a token: its value is kept out of every message.
     */
    String text(final String key, final boolean required, final boolean secret) throws ConfigException
    {
        final YamlNode node = value(key, required);
        if (node == null)
        {
            return null;
        }
        if (!(node instanceof YamlNode.Text))
        {
            throw document.error(node.line(), pathOf(key), "expected text, found " + node.kind());
        }
        final String text = document.resolve((YamlNode.Text)node, pathOf(key), secret);
        if (required && text.isEmpty())
        {
            throw document.error(node.line(), pathOf(key), "is empty");
        }
        return text;
    }

    /** A whole number; {@code absent} when not given. */
    int integer(final String key, final int absent) throws ConfigException
    {
        final String text = text(key, false, false);
        if (text == null)
        {
            return absent;
        }
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw error(key, "'" + text + "' is not a whole number");
        }
    }

    /** {@code true} or {@code false}; {@code absent} when not given. */
    boolean bool(final String key, final boolean absent) throws ConfigException
    {
        final String text = text(key, false, false);
        if (text == null)
        {
            return absent;
        }
        switch (text.trim())
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw error(key, "'" + text + "' is not true or false");
        }
    }

    /**
     * A duration written as a whole number and a unit: {@code 250ms}, {@code 90s}, {@code 5m}, {@code 1h}.
     */
    java.time.Duration duration(final String key, final java.time.Duration absent) throws ConfigException
    {
        final String text = text(key, false, false);
        if (text == null)
        {
            return absent;
        }
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(text.trim());
        if (!m.matches())
        {
            throw error(key, "'" + text + "' is not a duration; write a whole number and ms, s, m or h, e.g. 90s");
        }
        final long amount = Long.parseLong(m.group(1));
        switch (m.group(2))
        {
            case "ms":
                return java.time.Duration.ofMillis(amount);
            case "s":
                return java.time.Duration.ofSeconds(amount);
            case "m":
                return java.time.Duration.ofMinutes(amount);
            default:
                return java.time.Duration.ofHours(amount);
        }
    }

    int port(final String key) throws ConfigException
    {
        final int port = integer(key, 0);
        if (port < 1 || port > 65535)
        {
            throw error(key, "must be a port, 1..65535: " + port);
        }
        return port;
    }

    /**
     * One of {@code choices}, written as its lower-case name ({@code verify_full} for {@code VERIFY_FULL});
     * {@code absent} when not given.
     */
    <E extends Enum<E>> E choice(final String key, final E[] choices, final E absent) throws ConfigException
    {
        final String text = text(key, false, false);
        if (text == null)
        {
            return absent;
        }
        final List<String> names = new ArrayList<>(choices.length);
        for (final E choice : choices)
        {
            final String name = choice.name().toLowerCase(Locale.ROOT);
            if (name.equals(text))
            {
                return choice;
            }
            names.add(name);
        }
        final String nearest = KeySuggestions.nearest(text, names);
        throw error(key, "'" + text + "' is not one of: " + String.join(", ", names) +
            (nearest == null ? "" : " (did you mean '" + nearest + "'?)"));
    }

    /**
     * An address, {@code host:port} or {@code [ipv6]:port}; a host name is resolved now.
     *
     * @param listen an address to listen on, where port 0 means "any free port".
     */
    InetSocketAddress address(final String key, final boolean listen) throws ConfigException
    {
        final YamlNode node = value(key, true);
        if (node instanceof YamlNode.Sequence)
        {
            throw document.error(node.line(), pathOf(key), "expected host:port, found a list; an IPv6 address " +
                "must be quoted in YAML, e.g. \"[::1]:7844\"");
        }
        final String text = text(key, true, false);
        try
        {
            return socketAddress(text, listen, document);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(key, "bad address: " + ex.getMessage());
        }
    }

    /** The mapping under {@code key}; null when not given and not {@code required}. */
    MappingReader mapping(final String key, final boolean required) throws ConfigException
    {
        final YamlNode node = value(key, required);
        if (node == null)
        {
            return null;
        }
        if (!(node instanceof YamlNode.Mapping))
        {
            throw document.error(node.line(), pathOf(key),
                "expected a mapping (indented 'key: value' lines), found " + node.kind());
        }
        return new MappingReader(document, pathOf(key), lineOf(key), (YamlNode.Mapping)node);
    }

    /** The list of mappings under {@code key}, each read by its own reader; empty when not given. */
    List<MappingReader> mappings(final String key) throws ConfigException
    {
        final YamlNode.Sequence sequence = sequence(key);
        if (sequence == null)
        {
            return List.of();
        }
        final List<MappingReader> readers = new ArrayList<>(sequence.items().size());
        for (int i = 0; i < sequence.items().size(); i++)
        {
            final YamlNode item = sequence.items().get(i);
            final String itemPath = pathOf(key) + "[" + i + "]";
            final int itemLine = sequence.itemLines().get(i);
            if (!(item instanceof YamlNode.Mapping))
            {
                throw document.error(itemLine, itemPath, "expected a mapping ('- key: value' lines), found " +
                    (item == null ? "an empty item" : item.kind()));
            }
            readers.add(new MappingReader(document, itemPath, itemLine, (YamlNode.Mapping)item));
        }
        return readers;
    }

    /** The list of texts under {@code key}, {@code ${VAR}} resolved; empty when not given. */
    List<Item> texts(final String key) throws ConfigException
    {
        final YamlNode.Sequence sequence = sequence(key);
        if (sequence == null)
        {
            return List.of();
        }
        final List<Item> items = new ArrayList<>(sequence.items().size());
        for (int i = 0; i < sequence.items().size(); i++)
        {
            final YamlNode item = sequence.items().get(i);
            final String itemPath = pathOf(key) + "[" + i + "]";
            final int itemLine = sequence.itemLines().get(i);
            if (!(item instanceof YamlNode.Text) || isNull(item))
            {
                throw document.error(itemLine, itemPath, "expected text, found " +
                    (isNull(item) ? "an empty item" : item.kind()));
            }
            items.add(new Item(document.resolve((YamlNode.Text)item, itemPath, false), itemPath, itemLine));
        }
        return items;
    }

    /**
     * Builds a configuration record from values read here; its {@link IllegalArgumentException} becomes a failure
     * at the first of {@code keys} that its message names (quoted names in it aside), else at this mapping.
     */
    <T> T build(final Supplier<T> record, final String... keys) throws ConfigException
    {
        try
        {
            return record.get();
        }
        catch (final IllegalArgumentException | NullPointerException ex)
        {
            final String problem = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            final String key = blamedKey(problem, keys);
            throw key == null ? error(problem) : error(key, problem);
        }
    }

    private String blamedKey(final String problem, final String... keys)
    {
        final String unquoted = problem.replaceAll("'[^']*'", "''");
        for (final String key : keys)
        {
            if (unquoted.matches("(?s).*\\b" + key + "\\b.*") && mapping.entry(key) != null)
            {
                return key;
            }
        }
        return null;
    }

    private YamlNode.Sequence sequence(final String key) throws ConfigException
    {
        final YamlNode node = value(key, false);
        if (node == null)
        {
            return null;
        }
        if (!(node instanceof YamlNode.Sequence))
        {
            throw document.error(node.line(), pathOf(key), "expected a list ('- ' items), found " + node.kind());
        }
        return (YamlNode.Sequence)node;
    }

    private YamlNode value(final String key, final boolean required) throws ConfigException
    {
        final YamlNode.Entry entry = mapping.entry(key);
        if (entry == null)
        {
            if (required)
            {
                throw document.error(line, pathOf(key), "missing (required)");
            }
            return null;
        }
        if (isNull(entry.value()))
        {
            if (required)
            {
                throw document.error(entry.line(), pathOf(key), "has no value (required)");
            }
            return null;
        }
        return entry.value();
    }

    private static boolean isNull(final YamlNode node)
    {
        return node == null || (node instanceof YamlNode.Text && ((YamlNode.Text)node).isNull());
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port} without DNS for IP literals; a host name is resolved.
     *
     * @throws IllegalArgumentException naming what is wrong.
     */
    private static InetSocketAddress socketAddress(
        final String text, final boolean listen, final ConfigDocument document)
    {
        final boolean anyPort = listen && text.endsWith(":0");
        final HostPort hostPort = HostPort.parse(anyPort ? text.substring(0, text.length() - 1) + "1" : text);
        final int port = anyPort ? 0 : hostPort.port();
        if (hostPort.isLiteral())
        {
            return new InetSocketAddress(HostPort.literalAddress(hostPort.host()), port);
        }
        try
        {
            return new InetSocketAddress(document.resolveHost(hostPort.host()), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("cannot resolve host '" + hostPort.host() + "'", ex);
        }
    }

    /** One text of a list, with where it is. */
    record Item(String value, String path, int line)
    {
    }
}
