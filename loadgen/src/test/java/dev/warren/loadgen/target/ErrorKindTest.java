package dev.warren.loadgen.target;

import dev.warren.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorKindTest
{
    @Test
    void shouldNameEveryKindOnce()
    {
        final Set<String> names = new HashSet<>();
        for (int kind = 0; kind < ErrorKind.COUNT; kind++)
        {
            assertTrue(names.add(ErrorKind.name(kind)), ErrorKind.name(kind));
            assertEquals(kind, ErrorKind.byName(ErrorKind.name(kind)));
        }
        assertEquals(-1, ErrorKind.byName("nonsense"));
    }

    @Test
    void shouldUseTheSpecCodeForATunnelFailure()
    {
        for (final ErrorCode code : ErrorCode.values())
        {
            assertEquals(code.code(), ErrorKind.name(ErrorKind.of(code)));
        }
        assertEquals("connect", ErrorKind.name(ErrorKind.CONNECT));
        assertEquals("timeout", ErrorKind.name(ErrorKind.TIMEOUT));
        assertEquals("reset", ErrorKind.name(ErrorKind.RESET));
    }
}
