package dev.warren.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection straight to the echo service echoing a block of bytes, for comparison with
 * {@link TunnelBulkEcho}: a writer thread writes it all (blocking writes, so TCP's window is the backpressure) and
 * finishes its side while the calling thread reads it back and checks every byte.
 * <p>
 * <b>Threading.</b> {@link #run} blocks the calling thread, which reads; one extra thread ({@code
 * demo-direct-bulk-writer}) writes. A watchdog closes the connection if the echo takes longer than
 * {@link TunnelBulkEcho#TIMEOUT_NS}.
 */
final class DirectBulkEcho
{
    private DirectBulkEcho()
    {
    }

    /** @return the result, or null when the echo failed (the reasons are in the errors). */
    static BulkResult run(final InetSocketAddress address, final byte[] data, final DemoErrors errors)
        throws InterruptedException
    {
        final SocketChannel channel;
        try
        {
            channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        catch (final IOException ex)
        {
            errors.add("direct bulk: cannot connect to " + address + ": " + ex.getMessage());
            return null;
        }
        final AtomicBoolean timedOut = new AtomicBoolean();
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(TunnelBulkEcho.TIMEOUT_NS);
                timedOut.set(true);
                channel.close();
            }
            catch (final InterruptedException | IOException ex)
            {
                // the echo finished first
            }
        }, "demo-direct-bulk-watchdog");
        watchdog.setDaemon(true);
        final Thread writer = new Thread(() -> write(channel, data, errors), "demo-direct-bulk-writer");

        long received = 0;
        final long startNs = System.nanoTime();
        long lastByteNs = startNs;
        watchdog.start();
        writer.start();
        try
        {
            final ByteBuffer buffer = ByteBuffer.allocate(TunnelBulkEcho.WRITE_BYTES);
            int read;
            while ((read = channel.read(buffer.clear())) >= 0)
            {
                if (read > data.length - received)
                {
                    errors.add("direct bulk: echoed more bytes than the " + data.length + " sent");
                    break;
                }
                final int mismatch = ByteBuffer.wrap(data, (int)received, read).mismatch(buffer.flip());
                if (mismatch >= 0)
                {
                    errors.add("direct bulk: echoed byte at offset " + (received + mismatch) + " differs");
                    break;
                }
                received += read;
                lastByteNs = System.nanoTime();
            }
            if (received != data.length)
            {
                errors.add("direct bulk: the connection ended after echoing " + received + " of " + data.length +
                    " bytes");
            }
        }
        catch (final IOException ex)
        {
            errors.add("direct bulk: " + (timedOut.get() ? "stalled after echoing " + received + " bytes" :
                "read failed after " + received + " bytes: " + ex.getMessage()));
        }
        finally
        {
            watchdog.interrupt();
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
            writer.join();
        }
        return received == data.length ? new BulkResult(received, lastByteNs - startNs) : null;
    }

    private static void write(final SocketChannel channel, final byte[] data, final DemoErrors errors)
    {
        try
        {
            for (int offset = 0; offset < data.length; )
            {
                offset += channel.write(ByteBuffer.wrap(data, offset, Math.min(TunnelBulkEcho.WRITE_BYTES,
                    data.length - offset)));
            }
            channel.shutdownOutput();
        }
        catch (final IOException ex)
        {
            if (channel.isOpen())
            {
                errors.add("direct bulk: write failed: " + ex.getMessage());
            }
        }
    }
}
