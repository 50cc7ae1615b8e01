package dev.warren.engine.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.Instant;

/**
 * The few ASN.1 DER encodings an X.509 certificate needs (ITU-T X.690): each method returns one complete
 * tag-length-value. Enough for {@link DevCertificates}; not a general ASN.1 library.
 * <p>
 * <b>Threading.</b> Stateless.
 */
final class DerWriter
{
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private DerWriter()
    {
    }

    static byte[] sequence(final byte[]... items)
    {
        return tagged(0x30, concat(items));
    }

    static byte[] set(final byte[]... items)
    {
        return tagged(0x31, concat(items));
    }

    /** A context-specific constructed tag {@code [n]} around {@code content} (explicit tagging). */
    static byte[] explicit(final int n, final byte[]... content)
    {
        return tagged(0xA0 | n, concat(content));
    }

    static byte[] integer(final BigInteger value)
    {
        return tagged(0x02, value.toByteArray());
    }

    static byte[] bool(final boolean value)
    {
        return tagged(0x01, new byte[]{(byte)(value ? 0xFF : 0)});
    }

    static byte[] nullValue()
    {
        return new byte[]{0x05, 0x00};
    }

    static byte[] octetString(final byte[] value)
    {
        return tagged(0x04, value);
    }

    /** A BIT STRING of whole bytes (no unused bits): keys and signatures. */
    static byte[] bitString(final byte[] value)
    {
        final byte[] content = new byte[value.length + 1];
        System.arraycopy(value, 0, content, 1, value.length);
        return tagged(0x03, content);
    }

    /** A one-byte named-bit BIT STRING (key usage): trailing zero bits are not encoded, as DER requires. */
    static byte[] namedBits(final int bits)
    {
        final int unused = Integer.numberOfTrailingZeros(bits | 0x100);
        return tagged(0x03, new byte[]{(byte)unused, (byte)bits});
    }

    static byte[] utf8(final String value)
    {
        return tagged(0x0C, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] oid(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++)
        {
            long arc = Long.parseLong(parts[i]);
            final byte[] base128 = new byte[10];
            int n = 0;
            do
            {
                base128[n++] = (byte)(arc & 0x7F);
                arc >>>= 7;
            }
            while (arc != 0);
            for (int j = n - 1; j >= 0; j--)
            {
                out.write(base128[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tagged(0x06, out.toByteArray());
    }

    /** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
    static byte[] time(final Instant instant)
    {
        final ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        return utc.getYear() < 2050 ?
            tagged(0x17, UTC_TIME.format(utc).getBytes(StandardCharsets.US_ASCII)) :
            tagged(0x18, GENERALIZED_TIME.format(utc).getBytes(StandardCharsets.US_ASCII));
    }

    /** A primitive context-specific tag {@code [n]} (implicit tagging), as in a GeneralName. */
    static byte[] implicit(final int n, final byte[] content)
    {
        return tagged(0x80 | n, content);
    }

    static byte[] tagged(final int tag, final byte[] content)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        final int length = content.length;
        if (length < 0x80)
        {
            out.write(length);
        }
        else
        {
            final int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--)
            {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
