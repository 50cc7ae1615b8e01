package dev.warren.codec.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpHeaderNameTest
{
    @Test
    void shouldMatchInAnyCase()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer("xxCONTENT-length".getBytes(StandardCharsets.US_ASCII));

        assertTrue(HttpHeaderName.CONTENT_LENGTH.matches(buffer, 2, 14));
        assertFalse(HttpHeaderName.CONTENT_LENGTH.matches(buffer, 2, 13));
        assertFalse(HttpHeaderName.CONTENT_TYPE.matches(buffer, 2, 14));
        assertTrue(HttpHeaderName.CONTENT_LENGTH.matches("content-LENGTH"));
        assertFalse(HttpHeaderName.CONTENT_LENGTH.matches("content_length"));
    }

    @Test
    void shouldNotFoldCharactersOtherThanLetters()
    {
        // Lower-casing by OR-ing 0x20 would take the token character '^' to the token character '~'.
        final UnsafeBuffer buffer = new UnsafeBuffer("x~".getBytes(StandardCharsets.US_ASCII));

        assertFalse(HttpHeaderName.of("x^").matches("x~"));
        assertFalse(HttpHeaderName.of("x^").matches(buffer, 0, 2));
        assertTrue(HttpHeaderName.of("X~").matches(buffer, 0, 2));
    }

    @Test
    void shouldBeEqualRegardlessOfCase()
    {
        assertEquals(HttpHeaderName.of("x-trace"), HttpHeaderName.of("X-Trace"));
        assertEquals(HttpHeaderName.of("x-trace").hashCode(), HttpHeaderName.of("X-TRACE").hashCode());
        assertEquals("X-Trace", HttpHeaderName.of("X-Trace").toString());
        assertEquals(7, HttpHeaderName.of("X-Trace").length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a:b", "caf\u00e9", "a\r", "(x)", "a\u0100"})
    void shouldRefuseANameThatIsNotAToken(final String name)
    {
        assertThrows(IllegalArgumentException.class, () -> HttpHeaderName.of(name));
    }
}
