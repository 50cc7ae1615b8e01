package dev.warren.codec.http;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static dev.warren.codec.http.HttpGrammar.COLON;
import static dev.warren.codec.http.HttpGrammar.CR;
import static dev.warren.codec.http.HttpGrammar.LF;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A field section, the header fields of a head or the trailer fields of a chunked body (RFC 9112 §5): parsed
 * strictly and incrementally, and then read through accessors that allocate nothing.
 * <p>
 * <b>Parsing.</b> Each field line must be {@code token ":" OWS value OWS CRLF}. Refused, as a 400 error: a bare CR or
 * a bare LF, whitespace between the name and the colon, a line starting with whitespace (obsolete line folding, or
 * whitespace before the first field), a name character that is not a token's, a control character other than HTAB,
 * or DEL, in a value. A block longer than its byte limit or holding more fields than its count limit is a 431 error.
 * <p>
 * <b>Offsets, not copies.</b> Only (offset, length) pairs are recorded, into arrays sized once from the count limit.
 * A value is trimmed of the optional whitespace around it. Accessors take an index {@code 0 <= i < count()} in the
 * order the fields arrived; {@link #nameOffset} and {@link #valueOffset} are offsets in {@link #buffer()}, which is the
 * buffer last given to the owning decoder. They stay valid as long as the caller leaves those bytes alone.
 * <p>
 * Owned by the decoder that created it, on that decoder's thread; not thread-safe.
 */
public final class HttpFieldsDecoder
{
    static final int NEED_MORE = 0;
    static final int ERROR = -1;

    /** The fields a decoder acts on, recognised once, as the name is parsed. */
    static final byte KIND_OTHER = 0;
    static final byte KIND_HOST = 1;
    static final byte KIND_CONTENT_LENGTH = 2;
    static final byte KIND_TRANSFER_ENCODING = 3;
    static final byte KIND_CONNECTION = 4;
    static final byte KIND_EXPECT = 5;

    private static final int NAME_OFFSET = 0;
    private static final int NAME_LENGTH = 1;
    private static final int VALUE_OFFSET = 2;
    private static final int VALUE_LENGTH = 3;
    private static final int SLOT = 4;
    /** Fields with room from the start; most heads have fewer. */
    private static final int INITIAL_SLOTS = 16;

    private static final int LINE_START = 0;
    private static final int NAME = 1;
    private static final int BEFORE_VALUE = 2;
    private static final int VALUE = 3;
    private static final int LINE_LF = 4;
    private static final int END_LF = 5;
    private static final int DONE = 6;
    private static final int FAILED = 7;

    private final int maxBlock;
    private final int maxCount;
    private final String section;
    /** Grown as fields come, up to {@code maxCount}: an idle connection's decoders hold little. */
    private int[] slots;
    private byte[] kinds;

    private DirectBuffer buffer;
    private int blockOffset;

    private int state;
    private int scan;
    private int lineStart;
    private int nameEnd;
    private int valueStart;
    private int count;
    private int blockLength;
    private int errorStatus;
    private String errorReason;

    /**
     * @param maxBlock bytes of the block, its final CRLF included.
     * @param maxCount fields in the block.
     * @param section  {@code "header"} or {@code "trailer"}, for error reasons.
     */
    HttpFieldsDecoder(final int maxBlock, final int maxCount, final String section)
    {
        this.maxBlock = maxBlock;
        this.maxCount = maxCount;
        this.section = section;
        this.slots = new int[Math.min(maxCount, INITIAL_SLOTS) * SLOT];
        this.kinds = new byte[Math.min(maxCount, INITIAL_SLOTS)];
    }

    void reset()
    {
        buffer = null;
        blockOffset = 0;
        state = LINE_START;
        scan = 0;
        count = 0;
        blockLength = 0;
        errorStatus = 0;
        errorReason = null;
    }

    /**
     * Parses on from where the last call stopped. {@code offset} is the first byte of the block, every time: the
     * caller passes the whole block received so far, which may have moved in memory, but not changed.
     *
     * @return the length of the block once it is complete (at least 2, its final CRLF), {@link #NEED_MORE}, or
     * {@link #ERROR}.
     */
    @SuppressWarnings("fallthrough")
    int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.blockOffset = offset;
        if (state == DONE)
        {
            return blockLength;
        }
        if (state == FAILED)
        {
            return ERROR;
        }

        final int cap = Math.min(length, maxBlock);
        int i = scan;
        int lineState = state;
        scanning:
        while (i < cap)
        {
            // Each case falls through to the next part of a field line: a line that is all there is parsed in one
            // pass, and the state is saved only where the bytes run out.
            switch (lineState)
            {
                case LINE_START:
                {
                    final int b = buffer.getByte(offset + i);
                    if (b == CR)
                    {
                        lineState = END_LF;
                        i++;
                        continue;
                    }
                    if (!HttpGrammar.isTchar(b))
                    {
                        return fail(400, HttpGrammar.isWhitespace(b) ? count == 0 ?
                            "whitespace before the first " + section + " field" : "obsolete line folding" :
                            b == LF ? "bare LF in the " + section + " section" :
                            b == COLON ? "empty " + section + " field name" :
                            "invalid character in a " + section + " field name");
                    }
                    if (count == maxCount)
                    {
                        return fail(431, "more than " + maxCount + " " + section + " fields");
                    }
                    lineStart = i++;
                    lineState = NAME;
                }
                // fall through

                case NAME:
                {
                    while (i < cap && HttpGrammar.isTchar(buffer.getByte(offset + i)))
                    {
                        i++;
                    }
                    if (i == cap)
                    {
                        break scanning;
                    }
                    final int b = buffer.getByte(offset + i);
                    if (b != COLON)
                    {
                        return fail(400, HttpGrammar.isWhitespace(b) ? "whitespace between a field name and its colon" :
                            b == CR || b == LF ? "field line without a colon" :
                            "invalid character in a " + section + " field name");
                    }
                    nameEnd = i++;
                    lineState = BEFORE_VALUE;
                }
                // fall through

                case BEFORE_VALUE:
                    while (i < cap && HttpGrammar.isWhitespace(buffer.getByte(offset + i)))
                    {
                        i++;
                    }
                    if (i == cap)
                    {
                        break scanning;
                    }
                    valueStart = i;
                    lineState = VALUE;
                // fall through

                case VALUE:
                {
                    // Eight bytes at a time while none is a control character; then byte by byte to the CR.
                    while (i <= cap - Long.BYTES &&
                        HttpGrammar.controlOrDelete(buffer.getLong(offset + i, LITTLE_ENDIAN)) == 0)
                    {
                        i += Long.BYTES;
                    }
                    int b = 0;
                    while (i < cap && (((b = buffer.getByte(offset + i) & 0xFF) >= 0x20 && b != 0x7F) ||
                        b == HttpGrammar.HTAB))
                    {
                        i++;
                    }
                    if (i == cap)
                    {
                        break scanning;
                    }
                    if (b != CR)
                    {
                        return fail(400, b == LF ? "bare LF in the " + section + " section" :
                            "control character in a " + section + " field value");
                    }
                    record(offset, i++);
                    lineState = LINE_LF;
                    if (i == cap)
                    {
                        break scanning;
                    }
                }
                // fall through

                case LINE_LF:
                    if (buffer.getByte(offset + i) != LF)
                    {
                        return fail(400, "bare CR in the " + section + " section");
                    }
                    i++;
                    lineState = LINE_START;
                    break;

                case END_LF:
                    if (buffer.getByte(offset + i) != LF)
                    {
                        return fail(400, "bare CR in the " + section + " section");
                    }
                    i++;
                    state = DONE;
                    scan = i;
                    blockLength = i;
                    return i;

                default:
                    throw new IllegalStateException("unreachable: state " + lineState);
            }
        }
        state = lineState;
        scan = i;
        if (i == maxBlock && length > maxBlock)
        {
            return fail(431, section + " section longer than " + maxBlock + " bytes");
        }
        return NEED_MORE;
    }

    private void record(final int offset, final int valueEnd)
    {
        int end = valueEnd;
        while (end > valueStart && HttpGrammar.isWhitespace(buffer.getByte(offset + end - 1)))
        {
            end--;
        }
        if (count == kinds.length)
        {
            final int grown = Math.min(maxCount, count * 2);
            slots = java.util.Arrays.copyOf(slots, grown * SLOT);
            kinds = java.util.Arrays.copyOf(kinds, grown);
        }
        final int slot = count * SLOT;
        slots[slot + NAME_OFFSET] = lineStart;
        slots[slot + NAME_LENGTH] = nameEnd - lineStart;
        slots[slot + VALUE_OFFSET] = valueStart;
        slots[slot + VALUE_LENGTH] = end - valueStart;
        kinds[count] = kindOf(buffer, offset + lineStart, nameEnd - lineStart);
        count++;
    }

    private static byte kindOf(final DirectBuffer buffer, final int offset, final int length)
    {
        switch (length)
        {
            case 4:
                return HttpHeaderName.HOST.matches(buffer, offset, length) ? KIND_HOST : KIND_OTHER;
            case 6:
                return HttpHeaderName.EXPECT.matches(buffer, offset, length) ? KIND_EXPECT : KIND_OTHER;
            case 10:
                return HttpHeaderName.CONNECTION.matches(buffer, offset, length) ? KIND_CONNECTION : KIND_OTHER;
            case 14:
                return HttpHeaderName.CONTENT_LENGTH.matches(buffer, offset, length) ? KIND_CONTENT_LENGTH : KIND_OTHER;
            case 17:
                return HttpHeaderName.TRANSFER_ENCODING.matches(buffer, offset, length) ?
                    KIND_TRANSFER_ENCODING : KIND_OTHER;
            default:
                return KIND_OTHER;
        }
    }

    private int fail(final int status, final String reason)
    {
        state = FAILED;
        errorStatus = status;
        errorReason = reason;
        return ERROR;
    }

    int errorStatus()
    {
        return errorStatus;
    }

    String errorReason()
    {
        return errorReason;
    }

    byte kind(final int index)
    {
        return kinds[index];
    }

    // ---- accessors ----

    /** The buffer the offsets are in: the one last given to the owning decoder. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Fields parsed so far; all of them once the owning decoder is done. */
    public int count()
    {
        return count;
    }

    public int nameOffset(final int index)
    {
        return blockOffset + slots[slot(index) + NAME_OFFSET];
    }

    public int nameLength(final int index)
    {
        return slots[slot(index) + NAME_LENGTH];
    }

    /** Where the value starts, past the optional whitespace. */
    public int valueOffset(final int index)
    {
        return blockOffset + slots[slot(index) + VALUE_OFFSET];
    }

    /** Bytes of the value, the optional whitespace around it excluded; zero for an empty value. */
    public int valueLength(final int index)
    {
        return slots[slot(index) + VALUE_LENGTH];
    }

    /** The index of the first field called {@code name}, in any case, or -1. */
    public int indexOf(final HttpHeaderName name)
    {
        return indexOf(name, 0);
    }

    /** The index of the first field called {@code name} at or after {@code fromIndex}, or -1: for repeated fields. */
    public int indexOf(final HttpHeaderName name, final int fromIndex)
    {
        final int length = name.length();
        for (int i = Math.max(0, fromIndex); i < count; i++)
        {
            final int slot = i * SLOT;
            if (slots[slot + NAME_LENGTH] == length &&
                name.matches(buffer, blockOffset + slots[slot + NAME_OFFSET], length))
            {
                return i;
            }
        }
        return -1;
    }

    public boolean nameEquals(final int index, final HttpHeaderName name)
    {
        return name.matches(buffer, nameOffset(index), nameLength(index));
    }

    /** Whether the value is {@code value}, byte for byte (values are case-sensitive unless a field says otherwise). */
    public boolean valueEquals(final int index, final CharSequence value)
    {
        final int length = valueLength(index);
        if (value.length() != length)
        {
            return false;
        }
        final int offset = valueOffset(index);
        for (int i = 0; i < length; i++)
        {
            if ((buffer.getByte(offset + i) & 0xFF) != value.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /** Points {@code view} at the name, without copying; returns it. */
    public AsciiSequenceView name(final int index, final AsciiSequenceView view)
    {
        return view.wrap(buffer, nameOffset(index), nameLength(index));
    }

    /** Points {@code view} at the value, without copying; returns it. */
    public AsciiSequenceView value(final int index, final AsciiSequenceView view)
    {
        return view.wrap(buffer, valueOffset(index), valueLength(index));
    }

    /** Allocates: for logs, tests and the cold path. */
    public String nameAsString(final int index)
    {
        return string(buffer, nameOffset(index), nameLength(index));
    }

    /** Allocates: for logs, tests and the cold path. Bytes above 0x7F (obs-text) become ISO-8859-1 characters. */
    public String valueAsString(final int index)
    {
        return string(buffer, valueOffset(index), valueLength(index));
    }

    /** The value of the first field called {@code name}, or null. Allocates. */
    public String valueAsString(final HttpHeaderName name)
    {
        final int index = indexOf(name);
        return index < 0 ? null : valueAsString(index);
    }

    private int slot(final int index)
    {
        if (index < 0 || index >= count)
        {
            throw new IndexOutOfBoundsException("field " + index + " of " + count);
        }
        return index * SLOT;
    }

    static String string(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
