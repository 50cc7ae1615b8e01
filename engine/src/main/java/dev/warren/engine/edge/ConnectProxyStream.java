package dev.warren.engine.edge;

import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.tunnel.SocketRelayStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * {@code CONNECT host:port} at a forward-proxy listener: a tcp stream whose client hears
 * {@code 200 Connection Established} once the connector reached the host, and then is relayed byte for byte
 * ({@link SocketRelayStream}). Until then a failure is answered as an HTTP error with the SPEC §5 code; after it,
 * the client's connection is reset, as for any tcp stream.
 * <p>
 * Owned by the tunnel connection's event loop; not thread-safe.
 */
final class ConnectProxyStream extends SocketRelayStream implements EdgeStream
{
    private static final byte[] ESTABLISHED =
        "HTTP/1.1 200 Connection Established\r\nVia: 1.1 warren\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel client;
    private final String description;
    private final BindingMetrics metrics;
    private final long startNs;
    private boolean established;
    /** Gives the listener's slot back; run once, when the client's socket closes. */
    private Runnable release;

    ConnectProxyStream(
        final EdgeTunnelConnection connection, final SocketChannel client, final String description,
        final BindingMetrics metrics, final long startNs, final Runnable release)
    {
        super(connection);
        this.release = release;
        this.client = client;
        this.description = description;
        this.metrics = metrics;
        this.startNs = startNs;
    }

    @Override
    protected String describe()
    {
        return description;
    }

    @Override
    public void onOpenSent()
    {
        metrics.streams().opened();
    }

    @Override
    public void failBeforeOpen(final int wireCode, final String reason)
    {
        onFailed(wireCode, reason);
    }

    @Override
    public boolean onOpenAck(final dev.warren.codec.tunnel.OpenAckDecoder ack)
    {
        metrics.connectLatency().record(System.nanoTime() - startNs);
        try
        {
            final ByteBuffer answer = ByteBuffer.wrap(ESTABLISHED);
            client.write(answer);
            if (answer.hasRemaining())
            {
                throw new IOException("the client did not take 39 bytes");
            }
            established = true;
            final SelectionKey registered = loop.register(client, 0, this);
            startRelay(client, registered);
        }
        catch (final IOException ex)
        {
            fail(WireCode.CANCELLED, "CONNECT client gone: " + ex.getMessage());
        }
        return true;
    }

    @Override
    protected void onFailed(final int code, final String message)
    {
        metrics.streams().failed(code);
        if (!established)
        {
            HttpFrontDoorConnection.answerAndClose(client, code, description + ": " + message);
            onSocketClosing();
        }
    }

    @Override
    protected void onSocketClosing()
    {
        final Runnable slot = release;
        release = null;
        if (slot != null)
        {
            slot.run();
        }
    }
}
