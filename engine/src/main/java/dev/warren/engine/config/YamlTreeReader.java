package dev.warren.engine.config;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.UTFDataFormatRuntimeException;
import net.openhft.chronicle.wire.TextWire;
import net.openhft.chronicle.wire.YamlToken;
import net.openhft.chronicle.wire.YamlTokeniser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document into a tree of {@link YamlNode}s, each with its line, by driving Chronicle Wire's
 * {@link YamlTokeniser} (the tokeniser under {@code YamlWire}) token by token. {@code YamlWire} itself reports no
 * positions, so the tree is built here, and each node's line is the line of the byte offset where the tokeniser
 * says its text starts ({@link YamlTokeniser#blockStart()}), looked up in the document's {@link LineIndex}.
 * <p>
 * Chronicle's tokeniser is lenient: it turns bad indentation into odd nesting, closes brackets left open at the end
 * of the file, and stops a plain value at a {@code #}. This reader holds the token stream to a strict grammar and
 * fails with the line instead: a value followed by more than the next key, an item outside its list, an unclosed
 * or stray bracket, a duplicate key, {@code #} glued to a value, anchors, aliases, tags, more than one document.
 * It bounds the work too: nesting ({@link #MAX_DEPTH}), entries per mapping or list ({@link #MAX_ENTRIES}) and
 * tokens per byte, so no input can make it hang. No message quotes a value from the file, since it could be a
 * token.
 * <p>
 * <b>Threading.</b> One instance reads one document on the calling thread; not thread-safe.
 */
final class YamlTreeReader
{
    /** Deepest nesting of mappings and lists; a Warren file needs 4. */
    static final int MAX_DEPTH = 16;
    /** Most entries in one mapping or list. */
    static final int MAX_ENTRIES = 10_000;

    private final ConfigDocument document;
    private final Bytes<byte[]> bytes;
    private final YamlTokeniser tokeniser;
    private final long maxTokens;
    private long tokenCount;
    private YamlToken token = YamlToken.STREAM_START;
    private long tokenStart;
    private long lastFlowClose = -1;

    private YamlTreeReader(final ConfigDocument document, final Bytes<byte[]> bytes)
    {
        this.document = document;
        this.bytes = bytes;
        this.tokeniser = new YamlTokeniser(bytes);
        this.maxTokens = 64 + 8L * document.length();
    }

    /**
     * @return the root node, or null when the document is empty (nothing, or only comments).
     * @throws ConfigException when the text is not YAML this reader accepts, with the line.
     */
    static YamlNode read(final ConfigDocument document) throws ConfigException
    {
        final Bytes<byte[]> bytes = Bytes.wrapForRead(document.text());
        bytes.readLimit(document.length());
        final YamlTreeReader reader = new YamlTreeReader(document, bytes);
        try
        {
            return reader.document();
        }
        catch (final UTFDataFormatRuntimeException ex)
        {
            // Well-formed UTF-8 (SourceCheck passed it) that the tokeniser cannot decode: it reads at most 3-byte
            // sequences, so a character outside the Basic Multilingual Plane in a key or value ends up here.
            throw document.error(document.lineOf(reader.tokenStart), "",
                "a character outside the Basic Multilingual Plane (an emoji?) in a key or value: not supported");
        }
        finally
        {
            bytes.releaseLast();
        }
    }

    private YamlNode document() throws ConfigException
    {
        advance();
        while (token == YamlToken.DIRECTIVE)
        {
            advance();
        }
        if (token == YamlToken.DIRECTIVES_END)
        {
            advance();
        }
        if (token == YamlToken.DOCUMENT_END || token == YamlToken.STREAM_END)
        {
            finish();
            return null;
        }
        final YamlNode root = node("", 0, 1);
        if (root instanceof YamlNode.Mapping)
        {
            // Anything else at the top is refused by the caller, at its line, whatever follows it.
            finish();
        }
        return root;
    }

    private void finish() throws ConfigException
    {
        if (token == YamlToken.DOCUMENT_END)
        {
            advance();
        }
        if (token == YamlToken.DIRECTIVES_END)
        {
            throw document.error(document.lineOf(tokenStart), "",
                "more than one YAML document ('---'): a configuration file holds one");
        }
        if (token != YamlToken.STREAM_END)
        {
            throw unexpected("");
        }
    }

    /** Reads the node starting at the current token; returns with the token after it current. */
    private YamlNode node(final String path, final int depth, final int fallbackLine) throws ConfigException
    {
        switch (token)
        {
            case TEXT:
            {
                final YamlNode.Text text = text(path);
                advance();
                return text;
            }
            case LITERAL:
            {
                // A block scalar (| or >): the tokeniser gives no position for it; its key's line stands in.
                final YamlNode.Text text = new YamlNode.Text(tokeniser.text(), false, fallbackLine);
                advance();
                return text;
            }
            case MAPPING_START:
                return mapping(path, depth + 1);
            case SEQUENCE_START:
                return sequence(path, depth + 1);
            case ANCHOR:
            case ALIAS:
            case TAG:
                throw document.error(document.lineOf(tokenStart), path,
                    "YAML anchors (&), aliases (*) and tags (!) are not supported in a Warren configuration");
            default:
                throw unexpected(path);
        }
    }

    private YamlNode.Mapping mapping(final String path, final int depth) throws ConfigException
    {
        final long start = tokenStart;
        final int line = document.lineOf(start);
        checkDepth(path, depth, line);
        final boolean flow = document.byteAt(start) == '{';
        advance();
        final List<YamlNode.Entry> entries = new ArrayList<>();
        final Map<String, Integer> keyLines = new HashMap<>();
        String lastPath = path;
        while (token == YamlToken.MAPPING_KEY)
        {
            advance();
            if (token != YamlToken.TEXT)
            {
                throw document.error(document.lineOf(tokenStart), path, "a key must be plain or quoted text");
            }
            final YamlNode.Text keyText = text(path);
            final String key = VariableReferences.display(keyText.text());
            final String keyPath = path.isEmpty() ? key : path + "." + key;
            final Integer firstLine = keyLines.putIfAbsent(key, keyText.line());
            if (firstLine != null)
            {
                throw document.error(keyText.line(), keyPath, "duplicate key (first at line " + firstLine + ")");
            }
            if (entries.size() == MAX_ENTRIES)
            {
                throw document.error(keyText.line(), path, "more than " + MAX_ENTRIES + " keys in one mapping");
            }
            advance();
            YamlNode value = null;
            if (token != YamlToken.MAPPING_KEY && token != YamlToken.MAPPING_END)
            {
                value = node(keyPath, depth, keyText.line());
                if (value instanceof YamlNode.Sequence && token == YamlToken.TEXT &&
                    tokeniser.text().startsWith(":") && document.lineOf(tokenStart) == keyText.line())
                {
                    // [::1]:7844 unquoted: a list, then ":7844".
                    throw document.error(keyText.line(), keyPath,
                        "an IPv6 address must be quoted in YAML, e.g. \"[::1]:7844\"");
                }
            }
            entries.add(new YamlNode.Entry(key, keyText.line(), value));
            lastPath = keyPath;
        }
        if (token != YamlToken.MAPPING_END)
        {
            throw unexpected(lastPath);
        }
        checkClose(flow, '{', '}', line, path);
        advance();
        return new YamlNode.Mapping(List.copyOf(entries), line);
    }

    private YamlNode.Sequence sequence(final String path, final int depth) throws ConfigException
    {
        final long start = tokenStart;
        final int line = document.lineOf(start);
        checkDepth(path, depth, line);
        final boolean flow = document.byteAt(start) == '[';
        advance();
        final List<YamlNode> items = new ArrayList<>();
        final List<Integer> itemLines = new ArrayList<>();
        while (token != YamlToken.SEQUENCE_END)
        {
            final String itemPath = path + "[" + items.size() + "]";
            final int itemLine = document.lineOf(tokenStart);
            if (items.size() == MAX_ENTRIES)
            {
                throw document.error(itemLine, path, "more than " + MAX_ENTRIES + " items in one list");
            }
            if (token == YamlToken.SEQUENCE_ENTRY)
            {
                advance();
                if (token == YamlToken.SEQUENCE_ENTRY || token == YamlToken.SEQUENCE_END)
                {
                    items.add(null);
                    itemLines.add(itemLine);
                    continue;
                }
            }
            else if (!flow || !startsNode(token))
            {
                // In a block list every item starts with '-'; anything else is mis-indented.
                throw unexpected(items.isEmpty() ? path : path + "[" + (items.size() - 1) + "]");
            }
            items.add(node(itemPath, depth, itemLine));
            itemLines.add(itemLine);
        }
        checkClose(flow, '[', ']', line, path);
        advance();
        return new YamlNode.Sequence(
            Collections.unmodifiableList(items), List.copyOf(itemLines), line);
    }

    private static boolean startsNode(final YamlToken token)
    {
        return token == YamlToken.TEXT || token == YamlToken.MAPPING_START || token == YamlToken.SEQUENCE_START ||
            token == YamlToken.LITERAL;
    }

    /**
     * At the end token of a mapping or list: a flow one ({@code [..]}, {@code {..}}) must have been ended by its
     * closing bracket, which the tokeniser has just consumed, not by the end of the file; a block one must not
     * have been ended by a stray closing bracket.
     */
    private void checkClose(final boolean flow, final char open, final char close, final int line, final String path)
        throws ConfigException
    {
        final long last = bytes.readPosition() - 1;
        final int lastByte = last == lastFlowClose ? -1 : document.byteAt(last);
        if (flow)
        {
            if (lastByte != close)
            {
                throw document.error(line, path, "'" + open + "' is never closed with '" + close + "'");
            }
            lastFlowClose = last;
        }
        else if (lastByte == '}' || lastByte == ']')
        {
            throw document.error(document.lineOf(last), path,
                "unexpected '" + (char)lastByte + "' (no '" + (lastByte == '}' ? '{' : '[') + "' opened it)");
        }
    }

    private void checkDepth(final String path, final int depth, final int line) throws ConfigException
    {
        if (depth > MAX_DEPTH)
        {
            throw document.error(line, path, "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private YamlNode.Text text(final String path) throws ConfigException
    {
        final long start = tokeniser.blockStart();
        final char quote = tokeniser.blockQuote();
        if (quote != 0 && tokeniser.blockEnd() < start)
        {
            throw document.error(document.lineOf(start - 1), path, "quoted text is never closed");
        }
        String value = tokeniser.text();
        if (quote == '"' && value.indexOf('\\') >= 0)
        {
            final StringBuilder unescaped = new StringBuilder(value);
            try
            {
                TextWire.unescape(unescaped);
            }
            catch (final IndexOutOfBoundsException | IllegalArgumentException ex)
            {
                // Chronicle reads the digits of \\u or \\x without checking that they are there, or hex.
                throw document.error(document.lineOf(start), path, "malformed escape in quoted text");
            }
            value = unescaped.toString();
        }
        else if (quote == '\'')
        {
            value = value.replace("''", "'");
        }
        return new YamlNode.Text(value, quote == 0, document.lineOf(start));
    }

    /** Moves to the next token that is not a comment. */
    private void advance() throws ConfigException
    {
        while (true)
        {
            if (++tokenCount > maxTokens)
            {
                throw document.error(readLine(), "", "not valid YAML: the reader stopped making progress here");
            }
            final YamlToken next;
            try
            {
                next = tokeniser.next(Integer.MIN_VALUE);
            }
            catch (final StackOverflowError ex)
            {
                // The tokeniser recurses once per ',' or ': ' in a row.
                throw document.error(readLine(), "", "not valid YAML: too many ',' or ':' in a row");
            }
            catch (final RuntimeException ex)
            {
                throw document.error(readLine(), "", describe(ex));
            }
            if (next == YamlToken.COMMENT)
            {
                checkComment();
                continue;
            }
            token = next;
            tokenStart = tokeniser.blockStart();
            return;
        }
    }

    /**
     * YAML starts a comment only at a {@code #} after a space; Chronicle starts one at any {@code #}, which would
     * silently cut {@code abc#def} to {@code abc}. Refuse the {@code #} glued to text instead.
     */
    private void checkComment() throws ConfigException
    {
        long hash = tokeniser.blockStart() - 1;
        while (hash > 0 && (document.byteAt(hash) == ' ' || document.byteAt(hash) == '\t'))
        {
            hash--;
        }
        if (hash > 0 && document.byteAt(hash) == '#')
        {
            final int before = document.byteAt(hash - 1);
            if (before != ' ' && before != '\t' && before != '\n' && before != '\r')
            {
                throw document.error(document.lineOf(hash), "",
                    "'#' inside unquoted text would start a comment: quote the value, or put a space before '#'");
            }
        }
    }

    private int readLine()
    {
        return document.lineOf(Math.max(0, bytes.readPosition() - 1));
    }

    private ConfigException unexpected(final String path)
    {
        final String what;
        switch (token)
        {
            case TEXT:
            case LITERAL:
                what = "unexpected text here; check the indentation, or a missing 'key:'";
                break;
            case MAPPING_START:
            case MAPPING_KEY:
                what = "unexpected 'key: value' here; check the indentation";
                break;
            case SEQUENCE_START:
            case SEQUENCE_ENTRY:
                what = "unexpected list item here; check the indentation";
                break;
            case MAPPING_END:
            case SEQUENCE_END:
                what = "unexpected end of a " + (token == YamlToken.MAPPING_END ? "mapping" : "list") +
                    "; check the brackets and indentation";
                break;
            default:
                what = "not valid YAML here (" + token.name().toLowerCase().replace('_', ' ') + ")";
                break;
        }
        return document.error(document.lineOf(tokenStart), path, what);
    }

    /** What a tokeniser failure means, without quoting the file (its message may hold a token's value). */
    private static String describe(final RuntimeException ex)
    {
        final String message = ex.getMessage() == null ? "" : ex.getMessage();
        if (message.startsWith("Unterminated quotes"))
        {
            return "quoted text is never closed";
        }
        if (ex instanceof IllegalArgumentException && message.length() == 14 && message.startsWith("Unexpected '"))
        {
            return "not valid YAML: unexpected '" + message.charAt(12) + "'";
        }
        if (ex instanceof UnsupportedOperationException)
        {
            return "not valid YAML: '@' and '`' cannot start unquoted text; quote the value";
        }
        return "not valid YAML (" + ex.getClass().getSimpleName() + ")";
    }
}
