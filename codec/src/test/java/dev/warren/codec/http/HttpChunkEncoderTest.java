package dev.warren.codec.http;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpChunkEncoderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @ParameterizedTest
    @CsvSource({
        "1, 1",
        "15, f",
        "16, 10",
        "4096, 1000",
        "65535, ffff",
        "9223372036854775807, 7fffffffffffffff"})
    void shouldWriteTheSizeInHex(final long size, final String hex)
    {
        final int length = HttpChunkEncoder.chunkHeader(buffer, 5, size);

        assertEquals(hex.length() + 2, length);
        assertEquals(length, HttpChunkEncoder.chunkHeaderLength(size));
        assertEquals(hex + "\r\n", written(5, length));
    }

    @Test
    void shouldWriteAChunkHeaderInFrontOfItsData()
    {
        buffer.putStringWithoutLengthAscii(40, "0123456789abcdefghij");

        final int start = HttpChunkEncoder.chunkHeaderBefore(buffer, 40, 20);
        final int end = 40 + 20 + HttpChunkEncoder.chunkEnd(buffer, 60);

        assertEquals(36, start);
        assertEquals("14\r\n0123456789abcdefghij\r\n", written(start, end - start));
    }

    @Test
    void shouldWriteTheLastChunk()
    {
        assertEquals(HttpChunkEncoder.LAST_CHUNK_LENGTH, HttpChunkEncoder.lastChunk(buffer, 0));
        assertEquals("0\r\n\r\n", written(0, HttpChunkEncoder.LAST_CHUNK_LENGTH));
    }

    @Test
    void shouldRefuseAnEmptyOrNegativeChunk()
    {
        assertThrows(IllegalArgumentException.class, () -> HttpChunkEncoder.chunkHeader(buffer, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> HttpChunkEncoder.chunkHeaderLength(-1));
    }

    @Test
    void shouldNeverExceedTheLongestHeader()
    {
        assertEquals(HttpChunkEncoder.MAX_CHUNK_HEADER_LENGTH, HttpChunkEncoder.chunkHeaderLength(Long.MAX_VALUE));
    }

    private String written(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
