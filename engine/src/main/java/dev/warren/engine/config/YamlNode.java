package dev.warren.engine.config;

import java.util.List;
import java.util.Map;

/**
 * One node of a YAML document as {@link YamlTreeReader} read it with Chronicle's tokeniser, with the line it starts
 * on: text, a mapping or a list. An empty value ({@code key:} with nothing after it) is a null node, never one of
 * these. Immutable; thread-safe.
 */
sealed interface YamlNode permits YamlNode.Text, YamlNode.Mapping, YamlNode.Sequence
{
    /** The 1-based line the node starts on. */
    int line();

    /** What the node is, for messages: "text", "a mapping", "a list". */
    String kind();

    /**
     * A scalar. {@code ${VAR}} references in it are still unresolved, kept as {@link VariableReferences} marks.
     *
     * @param text  the text, quotes removed and escapes applied.
     * @param plain true when it was written without quotes (only plain text can mean null: {@code ~},
     *              {@code null}).
     */
    record Text(String text, boolean plain, int line) implements YamlNode
    {
        /** True for the plain YAML nulls: {@code ~}, {@code null}, {@code Null}, {@code NULL}. */
        boolean isNull()
        {
            return plain && ("~".equals(text) || "null".equals(text) || "Null".equals(text) || "NULL".equals(text));
        }

        @Override
        public String kind()
        {
            return "text";
        }
    }

    /**
     * One {@code key: value} of a mapping.
     *
     * @param key   the key, with any {@code ${VAR}} shown as written.
     * @param line  the key's line.
     * @param value the value; null when empty.
     */
    record Entry(String key, int line, YamlNode value)
    {
    }

    /** A mapping, its entries in file order; keys are unique. */
    record Mapping(List<Entry> entries, int line) implements YamlNode
    {
        Entry entry(final String key)
        {
            for (final Entry entry : entries)
            {
                if (entry.key().equals(key))
                {
                    return entry;
                }
            }
            return null;
        }

        @Override
        public String kind()
        {
            return "a mapping";
        }
    }

    /** A list; an empty item ({@code -} alone) is null. */
    record Sequence(List<YamlNode> items, List<Integer> itemLines, int line) implements YamlNode
    {
        @Override
        public String kind()
        {
            return "a list";
        }
    }

    /**
     * Records the line of every key and list item under {@code node}, by key path ({@code edge.services[1].name}).
     */
    static void collectLines(final YamlNode node, final String path, final Map<String, Integer> lines)
    {
        if (node instanceof Mapping)
        {
            for (final Entry entry : ((Mapping)node).entries())
            {
                final String keyPath = path.isEmpty() ? entry.key() : path + "." + entry.key();
                lines.putIfAbsent(keyPath, entry.line());
                if (entry.value() != null)
                {
                    collectLines(entry.value(), keyPath, lines);
                }
            }
        }
        else if (node instanceof Sequence)
        {
            final Sequence sequence = (Sequence)node;
            for (int i = 0; i < sequence.items().size(); i++)
            {
                final String itemPath = path + "[" + i + "]";
                lines.putIfAbsent(itemPath, sequence.itemLines().get(i));
                final YamlNode item = sequence.items().get(i);
                if (item != null)
                {
                    collectLines(item, itemPath, lines);
                }
            }
        }
    }
}
