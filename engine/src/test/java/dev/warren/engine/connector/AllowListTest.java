package dev.warren.engine.connector;

import dev.warren.engine.net.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowListTest
{
    private static final int ANY_PORT = 8080;

    @Test
    void shouldMatchAnIpv4Range()
    {
        final AllowList allow = AllowList.parse(List.of("10.0.0.0/8"));

        assertPermits(allow, "10.0.0.0", "10.0.0.1", "10.128.3.4", "10.255.255.255");
        assertRefuses(allow, "9.255.255.255", "11.0.0.0", "110.0.0.1", "127.0.0.1", "::ffff:b00:1", "::a00:1");
    }

    @Test
    void shouldMatchEveryIpv4AddressAndNoIpv6AddressWithSlashZero()
    {
        final AllowList allow = AllowList.parse(List.of("0.0.0.0/0"));

        assertPermits(allow, "0.0.0.0", "1.2.3.4", "127.0.0.1", "255.255.255.255");
        assertRefuses(allow, "::1", "::", "2001:db8::1");
    }

    @Test
    void shouldMatchEveryIpv6AddressAndNoIpv4AddressWithSlashZero()
    {
        final AllowList allow = AllowList.parse(List.of("::/0"));

        assertPermits(allow, "::", "::1", "fe80::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertRefuses(allow, "0.0.0.0", "127.0.0.1");
    }

    @Test
    void shouldMatchOneAddressWithSlash32()
    {
        final AllowList allow = AllowList.parse(List.of("192.168.1.7/32"));

        assertPermits(allow, "192.168.1.7");
        assertRefuses(allow, "192.168.1.6", "192.168.1.8", "192.168.0.7", "0.0.0.0");
    }

    @Test
    void shouldMatchTwoAddressesWithSlash31()
    {
        assertPermits(AllowList.parse(List.of("10.0.0.0/31")), "10.0.0.0", "10.0.0.1");
        assertRefuses(AllowList.parse(List.of("10.0.0.0/31")), "10.0.0.2", "10.0.0.3", "9.255.255.255", "10.0.1.0");
        // host bits in the entry are ignored, as in any CIDR
        assertPermits(AllowList.parse(List.of("10.0.0.1/31")), "10.0.0.0", "10.0.0.1");
        assertPermits(AllowList.parse(List.of("10.0.0.254/31")), "10.0.0.254", "10.0.0.255");
        assertRefuses(AllowList.parse(List.of("10.0.0.254/31")), "10.0.0.253", "10.0.1.0");
    }

    @Test
    void shouldMatchAPrefixThatEndsInsideAByte()
    {
        final AllowList allow = AllowList.parse(List.of("172.16.0.0/12"));

        assertPermits(allow, "172.16.0.0", "172.20.1.1", "172.31.255.255");
        assertRefuses(allow, "172.15.255.255", "172.32.0.0", "172.0.0.1");
    }

    @Test
    void shouldTreatASingleIpv4AddressAsSlash32()
    {
        final AllowList allow = AllowList.parse(List.of("127.0.0.1"));

        assertPermits(allow, "127.0.0.1");
        assertRefuses(allow, "127.0.0.2", "127.0.0.0", "::1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "::1/128", "[::1]", "0:0:0:0:0:0:0:1"})
    void shouldMatchTheIpv6LoopbackAlone(final String entry)
    {
        final AllowList allow = AllowList.parse(List.of(entry));

        assertPermits(allow, "::1");
        assertRefuses(allow, "::", "::2", "::1:0", "1::1", "127.0.0.1");
    }

    @Test
    void shouldMatchTheIpv6LinkLocalRange()
    {
        final AllowList allow = AllowList.parse(List.of("fe80::/10"));

        assertPermits(allow, "fe80::", "fe80::1", "fe80::1234:5678", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assertRefuses(allow, "fec0::1", "fe7f:ffff::1", "fe00::1", "ff02::1", "::1", "169.254.0.1");
    }

    @Test
    void shouldMatchHostNamesCaseInsensitively()
    {
        final AllowList allow = AllowList.parse(List.of("DB.Internal"));

        assertTrue(allow.permitsName("db.internal", ANY_PORT));
        assertTrue(allow.permitsName("DB.INTERNAL", ANY_PORT));
        assertTrue(allow.permitsName("Db.InTeRnAl", ANY_PORT));
        assertFalse(allow.permitsName("db.internal.evil", ANY_PORT));
        assertFalse(allow.permitsName("xdb.internal", ANY_PORT));
        assertFalse(allow.permitsName("a.db.internal", ANY_PORT));
        assertFalse(allow.permitsName("internal", ANY_PORT));
        assertFalse(allow.permitsName("db", ANY_PORT));
    }

    @Test
    void shouldMatchAWildcardOnlyForNamesBelowIt()
    {
        final AllowList allow = AllowList.parse(List.of("*.internal"));

        assertTrue(allow.permitsName("a.internal", ANY_PORT));
        assertTrue(allow.permitsName("db.eu.internal", ANY_PORT));
        assertTrue(allow.permitsName("A.INTERNAL", ANY_PORT));
        assertFalse(allow.permitsName("internal", ANY_PORT));
        assertFalse(allow.permitsName(".internal", ANY_PORT));
        assertFalse(allow.permitsName("evil-internal", ANY_PORT));
        assertFalse(allow.permitsName("evilinternal", ANY_PORT));
        assertFalse(allow.permitsName("a.internal.evil", ANY_PORT));
        assertFalse(allow.permitsName("a.internal.", ANY_PORT));
        assertFalse(allow.permitsName("internal.a", ANY_PORT));
    }

    @Test
    void shouldMatchPortsWhenTheEntryNamesOne()
    {
        final AllowList allow = AllowList.parse(List.of("db.internal:5432", "[::1]:22", "10.0.0.0/8:443", "*.cache:6379"));

        assertTrue(allow.permitsName("db.internal", 5432));
        assertFalse(allow.permitsName("db.internal", 5433));
        assertFalse(allow.permitsName("db.internal", 80));

        assertTrue(allow.permitsAddress(ip("::1"), 22));
        assertFalse(allow.permitsAddress(ip("::1"), 23));

        assertTrue(allow.permitsAddress(ip("10.1.2.3"), 443));
        assertFalse(allow.permitsAddress(ip("10.1.2.3"), 80));
        assertFalse(allow.permitsAddress(ip("10.1.2.3"), 4430));

        assertTrue(allow.permitsName("a.cache", 6379));
        assertFalse(allow.permitsName("a.cache", 6380));
    }

    @Test
    void shouldMatchAnyPortWhenTheEntryNamesNone()
    {
        final AllowList allow = AllowList.parse(List.of("db.internal", "10.0.0.0/8"));

        for (final int port : new int[]{1, 22, 443, 5432, 65535})
        {
            assertTrue(allow.permitsName("db.internal", port));
            assertTrue(allow.permitsAddress(ip("10.9.8.7"), port));
        }
    }

    @Test
    void shouldKeepNameEntriesAndRangeEntriesApart()
    {
        final AllowList allow = AllowList.parse(List.of("10.0.0.0/8", "db.internal"));

        assertFalse(allow.permitsName("10.0.0.1", ANY_PORT), "a range entry is not a name entry");
        assertRefuses(AllowList.parse(List.of("db.internal", "localhost")), "127.0.0.1", "::1");
    }

    @Test
    void shouldAllowNothingWhenEmpty()
    {
        final AllowList allow = AllowList.parse(List.of());

        assertTrue(allow.isEmpty());
        assertFalse(allow.permitsName("localhost", 80));
        assertFalse(allow.permitsName("db.internal", 5432));
        assertRefuses(allow, "127.0.0.1", "::1", "10.0.0.1", "0.0.0.0");
        assertFalse(allow.hasRangesFor(80));
    }

    @Test
    void shouldTellWhetherAnyRangeCoversAPort()
    {
        assertFalse(AllowList.parse(List.of("db.internal", "*.internal:443")).hasRangesFor(443));

        final AllowList ported = AllowList.parse(List.of("10.0.0.0/8:443", "db.internal"));
        assertTrue(ported.hasRangesFor(443));
        assertFalse(ported.hasRangesFor(80));

        final AllowList anyPort = AllowList.parse(List.of("::1"));
        assertTrue(anyPort.hasRangesFor(1));
        assertTrue(anyPort.hasRangesFor(65535));
    }

    @Test
    void shouldTrimEntries()
    {
        final AllowList allow = AllowList.parse(List.of("  10.0.0.0/8 ", "\tdb.internal:5432\n"));

        assertTrue(allow.permitsAddress(ip("10.0.0.1"), 80));
        assertTrue(allow.permitsName("db.internal", 5432));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/999999999999",
        "::1/129", "fe80::/x", "host/8", "db.internal/24", "256.0.0.0/8", "[::1", "[::1]x", "[::1]/128", "[::1]:",
        "[::1]:0", "[::1]:65536", "[::1]:22:33", "[]", "[]:80", "a b", "host:0", "host:70000", "host:", ":80",
        "host:abc", "host:-1", "host:99999999999", "10.0.0.0/8:0", "10.0.0.0/8:443:1", "*", "*.", "*.*.internal",
        "a.*.internal", "*internal", "ho$t", "h\u00f6st", "a..b", ".internal", "ho\0st", "ho\tst", "user@host", "a/b/c"})
    void shouldRejectHostileEntriesNamingThem(final String entry)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of(entry)));
        assertTrue(ex.getMessage().contains(entry.trim()), ex.getMessage());
    }

    @Test
    void shouldRejectTheWholeListForOneBadEntry()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> AllowList.parse(List.of("10.0.0.0/8", "db.internal:5432", "host:70000", "::1")));
        assertTrue(ex.getMessage().contains("host:70000"), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/+8", "10.0.0.0/-0", "10.0.0.0/\u0668", "host:+80", "host:\u0668\u0660", "[::1]:+22"})
    void shouldRejectSignedOrNonAsciiNumbers(final String entry)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of(entry)));
        assertTrue(ex.getMessage().contains(entry), ex.getMessage());
    }

    private static InetAddress ip(final String literal)
    {
        return HostPort.literalAddress(literal);
    }

    private static void assertPermits(final AllowList allow, final String... addresses)
    {
        for (final String address : addresses)
        {
            assertTrue(allow.permitsAddress(ip(address), ANY_PORT), address + " should be permitted");
        }
    }

    private static void assertRefuses(final AllowList allow, final String... addresses)
    {
        for (final String address : addresses)
        {
            assertFalse(allow.permitsAddress(ip(address), ANY_PORT), address + " should be refused");
        }
    }
}
