package dev.warren.engine.net;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.Permission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPortTest
{
    private static final String LABEL_63 = "a".repeat(63);
    /** 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters: the longest name DNS allows. */
    private static final String NAME_253 = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(61);

    @Test
    void shouldParseHostNameAndPort()
    {
        final HostPort address = HostPort.parse("db.internal:5432");

        assertEquals("db.internal", address.host());
        assertEquals(5432, address.port());
        assertFalse(address.isLiteral());
    }

    @Test
    void shouldParseBracketedIpv6Address()
    {
        final HostPort address = HostPort.parse("[::1]:6379");

        assertEquals("::1", address.host());
        assertEquals(6379, address.port());
        assertTrue(address.isLiteral());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:80", "0.0.0.0:1", "255.255.255.255:65535", "10.20.30.40:8080"})
    void shouldParseIpv4Literals(final String text)
    {
        final HostPort address = HostPort.parse(text);

        assertTrue(address.isLiteral());
        assertEquals(text, address.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[2001:db8::1]:443", "[fe80::1]:22", "[FE80::A:b]:22", "[::ffff:192.0.2.1]:80", "[::]:1",
        "[1:2:3:4:5:6:7:8]:65535", "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:9"})
    void shouldParseIpv6Literals(final String text)
    {
        final HostPort address = HostPort.parse(text);

        assertTrue(address.isLiteral());
        assertEquals(text.substring(1, text.indexOf(']')), address.host());
        assertEquals(text, address.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "localhost:8080", "a:1", "a-b.example.com:443", "under_score.internal:5432", "xn--bcher-kva.example:80",
        "123.example:80", "EXAMPLE.COM:80", "db1.eu-west-1.internal:6379"})
    void shouldParseHostNames(final String text)
    {
        final HostPort address = HostPort.parse(text);

        assertFalse(address.isLiteral());
        assertEquals(text.substring(0, text.lastIndexOf(':')), address.host());
        assertEquals(text, address.toString());
    }

    @Test
    void shouldAcceptTheLongestLegalLabelAndName()
    {
        assertEquals(253, NAME_253.length());
        assertEquals(LABEL_63, HostPort.parse(LABEL_63 + ":80").host());
        assertEquals(NAME_253, HostPort.parse(NAME_253 + ":80").host());
    }

    @Test
    void shouldAcceptPortBounds()
    {
        assertEquals(1, HostPort.parse("host:1").port());
        assertEquals(65535, HostPort.parse("host:65535").port());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        // no port, or a port that is not 1..65535 in plain ASCII digits
        "host", "host:", ":80", "host:0", "host:00000", "host:65536", "host:99999", "host:abc", "host:-1", "host:+80",
        "host:99999999999", "host:2147483648", "host:080a", "host: 80", "host:80 ", "host:8\00", "host:0x50",
        "host:\u0668\u0660", "host:\uFF18\uFF10", "host:80:80",
        // IPv6 without brackets
        "::1", "::1:80", "fe80::1:443", "2001:db8::1:8080",
        // characters no host name has
        " host:80", "ho st:80", "a/b:80", "user@host:80", "h\u00f6st:80", "\u0441\u0430\u0439\u0442.example:80",
        "host\0:80", "ho\rst:80", "ho\nst:80", "ho\tst:80", "host\u007f:80", "host%2f:80", "*.internal:80",
        "host,other:80", "host;rm:80", "host\\x:80", "host#:80", "host?:80",
        // empty labels
        "a..b:80", ".a:80", ".:80", "..:80",
        // brackets
        "[::1]", "[::1]:", "[::1]x80", "[::1]:x", "[::1]:0", "[::1]:65536", "[nothost]:80", "[1.2.3.4]:80", "[]:80",
        "[::1:80", "[::1]]:80", "[[::1]]:80", "[::1%lo]:80", "[::1%25lo]:80", "]::1[:80", "[:::]:80",
        "[1:2:3:4:5:6:7:8:9]:80", "[g::1]:80", "[::1 ]:80", "[ ::1]:80", "[::1]:80:80"})
    void shouldRejectHostileAddresses(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
        assertNotNull(ex.getMessage());
    }

    @Test
    void shouldRejectALabelLongerThan63Characters()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse("x." + LABEL_63 + "a.example:80"));
        assertTrue(ex.getMessage().contains("63"), ex.getMessage());
    }

    @Test
    void shouldRejectANameLongerThan253Characters()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse(NAME_253 + "b:80"));
        assertTrue(ex.getMessage().contains("253"), ex.getMessage());
    }

    @Test
    void shouldValidateInTheConstructor()
    {
        assertThrows(IllegalArgumentException.class, () -> new HostPort(null, 80));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("", 80));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("[::1]", 80));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("a b", 80));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("host", 0));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("host", -1));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("host", 65536));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("host", Integer.MIN_VALUE));
        assertEquals("::1", new HostPort("::1", 22).host());
    }

    @Test
    void shouldBracketIpv6InToString()
    {
        assertEquals("[::1]:22", new HostPort("::1", 22).toString());
        assertEquals("[2001:db8::1]:443", new HostPort("2001:db8::1", 443).toString());
        assertEquals("10.0.0.1:80", new HostPort("10.0.0.1", 80).toString());
        assertEquals("db.internal:5432", new HostPort("db.internal", 5432).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "fe80::1", "10.0.0.1", "db.internal"})
    void shouldParseWhatToStringWrites(final String host)
    {
        final HostPort address = new HostPort(host, 6379);

        assertEquals(address, HostPort.parse(address.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "1.22.255.0"})
    void shouldRecogniseIpv4Literals(final String host)
    {
        assertTrue(HostPort.isIpv4Literal(host));
        assertFalse(HostPort.isIpv6Literal(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ".", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1..2.3", ".1.2.3", "1.2.3.", "a.b.c.d", "1.2.3.4 ",
        " 1.2.3.4", "-1.2.3.4", "99999999999.1.1.1", "1.2.3.4/8", "1.2.3.4:80", "1.2.3.\u0664", "0x7f.0.0.1", "::1"})
    void shouldRejectWhatIsNotAnIpv4Literal(final String host)
    {
        assertFalse(HostPort.isIpv4Literal(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "::", "fe80::1", "2001:DB8::1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8"})
    void shouldRecogniseIpv6Literals(final String host)
    {
        assertTrue(HostPort.isIpv6Literal(host));
        assertFalse(HostPort.isIpv4Literal(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ":", ":::", "1:", "1:2:3:4:5:6:7:8:9", "g::1", "::1%lo", "::1%1", "[::1]", "::1 ", "12345::1", "1.2.3.4",
        "db.internal", "::256.0.0.1", "0000:0000:0000:0000:0000:0000:0000:0000:0000"})
    void shouldRejectWhatIsNotAnIpv6Literal(final String host)
    {
        assertFalse(HostPort.isIpv6Literal(host));
    }

    @Test
    void shouldGiveTheAddressOfLiterals()
    {
        final InetAddress v4 = HostPort.literalAddress("127.0.0.1");
        assertInstanceOf(Inet4Address.class, v4);
        assertArrayEquals(new byte[]{127, 0, 0, 1}, v4.getAddress());

        final InetAddress v6 = HostPort.literalAddress("::1");
        assertInstanceOf(Inet6Address.class, v6);
        assertTrue(v6.isLoopbackAddress());

        final byte[] doc = HostPort.literalAddress("2001:db8::1").getAddress();
        assertEquals(16, doc.length);
        assertEquals((byte)0x20, doc[0]);
        assertEquals((byte)0x01, doc[15]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "db.internal", "", "1.2.3", "256.0.0.1", "::1%lo", "[::1]", "a b"})
    void shouldRefuseTheAddressOfANonLiteral(final String host)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> HostPort.literalAddress(host));
        assertTrue(ex.getMessage().contains(host), ex.getMessage());
    }

    @Test
    void shouldNeverConsultTheNameServiceWhenParsing()
    {
        try (NameServiceWatch watch = NameServiceWatch.install())
        {
            HostPort.literalAddress("127.0.0.1");
            HostPort.literalAddress("::1");
            HostPort.literalAddress("::ffff:10.0.0.1");
            for (final String name : List.of("localhost", "example.com", "1.2.3", "::1%lo"))
            {
                assertThrows(IllegalArgumentException.class, () -> HostPort.literalAddress(name));
            }
            HostPort.parse("localhost:80");
            HostPort.parse("db.internal:5432");
            HostPort.parse("[::1]:6379");
            HostPort.parse("[fe80::1]:22");
            for (final String hostile : List.of("[nothost]:80", "[g::1]:80", "[1.2.3.4]:80", "[:::]:80", "[::1%lo]:80"))
            {
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse(hostile));
            }
            assertNull(HostPort.checkHost("a.very.long.name.that.does.not.exist.example"));

            assertEquals(List.of(), watch.lookups());
        }
    }

    @Test
    void shouldNotConsultTheNameServiceForAHostStartingWithADot()
    {
        try (NameServiceWatch watch = NameServiceWatch.install())
        {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[.::1]:80"));
            assertThrows(IllegalArgumentException.class, () -> new HostPort(".::1", 80));
            assertThrows(IllegalArgumentException.class, () -> HostPort.literalAddress(".:"));
            assertFalse(HostPort.isIpv6Literal("..::1"));

            assertEquals(List.of(), watch.lookups());
        }
    }

    /**
     * Records the host names the JDK is asked to resolve on the test's thread. {@link InetAddress} calls
     * {@code SecurityManager.checkConnect(host, -1)} before every name-service lookup and never for a literal, so an
     * empty record proves no lookup happened, without depending on what DNS this machine has. Allows everything.
     */
    @SuppressWarnings("removal")
    private static final class NameServiceWatch extends SecurityManager implements AutoCloseable
    {
        private final Thread owner = Thread.currentThread();
        private final SecurityManager previous = System.getSecurityManager();
        private final List<String> lookups = new CopyOnWriteArrayList<>();

        static NameServiceWatch install()
        {
            final NameServiceWatch watch = new NameServiceWatch();
            try
            {
                System.setSecurityManager(watch);
            }
            catch (final UnsupportedOperationException ex)
            {
                Assumptions.abort("this JVM does not allow installing a SecurityManager: " + ex.getMessage());
            }
            return watch;
        }

        List<String> lookups()
        {
            return List.copyOf(lookups);
        }

        @Override
        public void checkPermission(final Permission permission)
        {
            // allow everything
        }

        @Override
        public void checkPermission(final Permission permission, final Object context)
        {
            // allow everything
        }

        @Override
        public void checkConnect(final String host, final int port)
        {
            if (port == -1 && Thread.currentThread() == owner)
            {
                lookups.add(host);
            }
        }

        @Override
        public void close()
        {
            System.setSecurityManager(previous);
        }
    }
}
