package dev.warren.engine.support;

import dev.warren.api.TcpSocket;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/** Deterministic pseudo-random payloads, written to sockets in chunks while their SHA-256 is computed. */
public final class Payloads
{
    private Payloads()
    {
    }

    public static byte[] random(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }

    public static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Writes {@code total} pseudo-random bytes in {@code chunk}-sized writes, each waiting for the previous to be
     * taken (the write future reflects credit), then half-closes.
     *
     * @return a future of the SHA-256 of what was written.
     */
    public static CompletableFuture<byte[]> writeRandom(
        final TcpSocket socket, final long seed, final long total, final int chunk)
    {
        final MessageDigest digest = sha256();
        final SplittableRandom random = new SplittableRandom(seed);
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        writeNext(socket, random, digest, total, chunk, result);
        return result;
    }

    private static void writeNext(
        final TcpSocket socket, final SplittableRandom random, final MessageDigest digest, final long remaining,
        final int chunk, final CompletableFuture<byte[]> result)
    {
        if (remaining == 0)
        {
            socket.closeWrite().whenComplete((ignored, error) ->
            {
                if (error != null)
                {
                    result.completeExceptionally(error);
                }
                else
                {
                    result.complete(digest.digest());
                }
            });
            return;
        }
        final int length = (int)Math.min(chunk, remaining);
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        digest.update(bytes);
        socket.write(ByteBuffer.wrap(bytes)).whenComplete((ignored, error) ->
        {
            if (error != null)
            {
                result.completeExceptionally(error);
            }
            else
            {
                // continue off the event loop so hashing does not hold it
                CompletableFuture.runAsync(() -> writeNext(socket, random, digest, remaining - length, chunk, result));
            }
        });
    }
}
