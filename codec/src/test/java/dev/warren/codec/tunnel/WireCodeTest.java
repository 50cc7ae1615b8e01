package dev.warren.codec.tunnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireCodeTest
{
    @ParameterizedTest
    @CsvSource({
        "0, none",
        "1, connection_refused",
        "2, connection_timeout",
        "3, connection_terminated",
        "4, connection_limit_reached",
        "5, destination_unavailable",
        "6, destination_not_allowed",
        "7, dns_error",
        "8, tls_error",
        "9, protocol_error",
        "10, request_invalid",
        "100, auth_failed",
        "101, unsupported_version",
        "102, cancelled",
    })
    void shouldNameEveryDocumentedCode(final int code, final String name)
    {
        assertEquals(name, WireCode.name(code));
        assertTrue(WireCode.isKnown(code));
    }

    @Test
    void shouldGiveTheConstantsTheDocumentedValues()
    {
        assertEquals(0, WireCode.NONE);
        assertEquals(1, WireCode.CONNECTION_REFUSED);
        assertEquals(2, WireCode.CONNECTION_TIMEOUT);
        assertEquals(3, WireCode.CONNECTION_TERMINATED);
        assertEquals(4, WireCode.CONNECTION_LIMIT_REACHED);
        assertEquals(5, WireCode.DESTINATION_UNAVAILABLE);
        assertEquals(6, WireCode.DESTINATION_NOT_ALLOWED);
        assertEquals(7, WireCode.DNS_ERROR);
        assertEquals(8, WireCode.TLS_ERROR);
        assertEquals(9, WireCode.PROTOCOL_ERROR);
        assertEquals(10, WireCode.REQUEST_INVALID);
        assertEquals(100, WireCode.AUTH_FAILED);
        assertEquals(101, WireCode.UNSUPPORTED_VERSION);
        assertEquals(102, WireCode.CANCELLED);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 11, 50, 99, 103, 0xFFFF, 0x10000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void shouldNameAnUnknownCodeUnknown(final int code)
    {
        assertEquals("unknown(" + code + ")", WireCode.name(code));
        assertFalse(WireCode.isKnown(code));
    }
}
