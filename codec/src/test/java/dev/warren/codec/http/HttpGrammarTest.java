package dev.warren.codec.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpGrammarTest
{
    @Property(tries = 2000)
    void shouldFlagTheFirstControlCharacterOfAWordExactly(@ForAll("words") final long word)
    {
        assertEquals(first(word, b -> b < 0x20 || b == 0x7F), flagged(HttpGrammar.controlOrDelete(word)));
    }

    @Property(tries = 2000)
    void shouldFlagTheFirstNonVisibleByteOfAWordExactly(@ForAll("words") final long word)
    {
        assertEquals(first(word, b -> b < 0x21 || b > 0x7E), flagged(HttpGrammar.nonVisible(word)));
    }

    @Test
    void shouldCheckEachByteOfAWordWhateverItsNeighbours()
    {
        for (int position = 0; position < Long.BYTES; position++)
        {
            for (int b = 0; b < 256; b++)
            {
                for (final long around : new long[]{0x4141_4141_4141_4141L, 0, -1L, 0x0909_0909_0909_0909L})
                {
                    final long word = (around & ~(0xFFL << (8 * position))) | ((long)b << (8 * position));
                    assertEquals(first(word, c -> c < 0x20 || c == 0x7F), flagged(HttpGrammar.controlOrDelete(word)));
                    assertEquals(first(word, c -> c < 0x21 || c > 0x7E), flagged(HttpGrammar.nonVisible(word)));
                }
            }
        }
    }

    /** Words of bytes around the boundaries the tests care about. */
    @Provide
    Arbitrary<Long> words()
    {
        final Arbitrary<Integer> bytes = Arbitraries.oneOf(
            Arbitraries.of(0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x7E, 0x7F, 0x80, 0xA0, 0xFF),
            Arbitraries.integers().between(0, 255));
        return bytes.list().ofSize(Long.BYTES).map(list ->
        {
            long word = 0;
            for (int i = 0; i < Long.BYTES; i++)
            {
                word |= (long)list.get(i) << (8 * i);
            }
            return word;
        });
    }

    /** The index of the first byte of a little-endian {@code word} that {@code test} accepts, or -1. */
    private static int first(final long word, final IntPredicate test)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            if (test.test((int)(word >>> (8 * i)) & 0xFF))
            {
                return i;
            }
        }
        return -1;
    }

    private static int flagged(final long mask)
    {
        return mask == 0 ? -1 : HttpGrammar.firstByte(mask);
    }

    @Test
    void shouldClassifyTokenCharacters()
    {
        final String tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int c = 0; c < 256; c++)
        {
            assertEquals(tchars.indexOf(c) >= 0, HttpGrammar.isTchar(c), "character " + c);
        }
    }

    @Test
    void shouldReadHexDigits()
    {
        assertEquals(0, HttpGrammar.hexValue('0'));
        assertEquals(10, HttpGrammar.hexValue('a'));
        assertEquals(15, HttpGrammar.hexValue('F'));
        assertEquals(-1, HttpGrammar.hexValue('g'));
        assertEquals(-1, HttpGrammar.hexValue(' '));
        assertTrue(HttpGrammar.is('\t', HttpGrammar.WS));
        assertFalse(HttpGrammar.is('\u00e9', HttpGrammar.TARGET));
        assertTrue(HttpGrammar.is(0xE9, HttpGrammar.FIELD_VCHAR));
    }
}
