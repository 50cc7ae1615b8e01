package dev.warren.loadgen.target;

import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpBodyDecoder;
import dev.warren.codec.http.HttpHeadDecoder;
import dev.warren.codec.http.HttpMethod;
import dev.warren.codec.http.HttpResponseHeadDecoder;
import dev.warren.engine.loop.EventLoop;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * {@code loadgen http}, direct: one keep-alive HTTP/1.1 connection over a {@link NioTransport}. Sends the request
 * bytes it is given as they are, and frames each response with {@link HttpResponseHeadDecoder} and
 * {@link HttpBodyDecoder}: when the body is complete it tells the handler {@link TransportHandler#onResponse}.
 * <p>
 * Received bytes go into a buffer of the connection's own until a response is complete: the head decoder is fed
 * the whole head received so far from its first byte, and the body decoder's unconsumed bytes (a partial chunk
 * line) are kept for the next read. A response that ends the connection ({@code Connection: close}, HTTP/1.0, a
 * body read until close) is completed, and the next request opens a new connection first, as wrk does; so does a
 * request after the server closed an idle keep-alive connection. Bytes after a response, a malformed response, or
 * a connection that ends under a request are errors ({@link ErrorKind#PROTOCOL}, {@link ErrorKind#CLOSED}). With a
 * {@link BodyCheck} ({@code --expect-body-file}), a 2xx response whose body is not exactly the expected bytes is a
 * {@link ErrorKind#MISMATCH} error, not a response: the connection is aborted and the request counted as failed.
 * <p>
 * <b>Threading.</b> Owned by its event loop; not thread-safe. Allocates nothing per request once its buffer has
 * grown to the largest response it must hold (a head, or a partial chunk line, plus one read).
 */
final class HttpTransport implements Transport, TransportHandler
{
    private static final int INITIAL_BUFFER = 16 * 1024;
    /** The most a response may make the buffer hold at once (a head with its limits is far smaller). */
    private static final int MAX_BUFFER = 16 * 1024 * 1024;
    /**
     * Requests are written at the end of the loop's cycle (see {@link NioTransport}), not as each response completes.
     * Property {@code warren.loadgen.deferWrites}, true by default; false writes each request at once.
     */
    static final boolean DEFER_WRITES = Boolean.parseBoolean(System.getProperty("warren.loadgen.deferWrites", "true"));

    private final EventLoop loop;
    private final InetSocketAddress address;
    private final TransportHandler handler;
    private final ByteBuffer scratch;
    private final HttpResponseHeadDecoder head = new HttpResponseHeadDecoder();
    private final HttpBodyDecoder body = new HttpBodyDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[INITIAL_BUFFER]);
    /** Null when bodies are not checked. */
    private final BodyCheck bodyCheck;
    /** The response being framed is 2xx and {@link #bodyCheck} is checking its body. */
    private boolean checkingBody;

    private NioTransport socket;
    private byte[] held = new byte[INITIAL_BUFFER];
    private int heldLength;
    private boolean inHead = true;
    private boolean outstanding;
    /** The socket can take no more requests: the next one opens a new connection. */
    private boolean spent;
    private ByteBuffer waitingToSend;
    private boolean opened;
    private boolean closed;

    /** Set by {@link #frame} inside a read, delivered when the read is told: at most one per read. */
    private int completedStatus;
    private String protocolError;
    /** {@link #protocolError} is a body that {@link #bodyCheck} refused. */
    private boolean bodyMismatch;

    HttpTransport(
        final EventLoop loop, final InetSocketAddress address, final TransportHandler handler,
        final ByteBuffer scratch, final HttpMethod method, final BodyCheck bodyCheck)
    {
        this.bodyCheck = bodyCheck;
        this.loop = loop;
        this.address = address;
        this.handler = handler;
        this.scratch = scratch;
        head.requestMethod(method);
    }

    @Override
    public void open()
    {
        connect();
    }

    @Override
    public boolean send(final ByteBuffer data)
    {
        if (closed)
        {
            return false;
        }
        outstanding = true;
        resetFraming();
        if (spent)
        {
            spent = false;
            socket.close();
            waitingToSend = data;
            connect();
            return false;
        }
        return socket.send(data);
    }

    @Override
    public void close()
    {
        closed = true;
        if (socket != null)
        {
            socket.close();
        }
    }

    @Override
    public void abort()
    {
        closed = true;
        if (socket != null)
        {
            socket.abort();
        }
    }

    // ---- the socket's handler ----

    @Override
    public void onOpened()
    {
        if (!opened)
        {
            opened = true;
            handler.onOpened();
            return;
        }
        final ByteBuffer data = waitingToSend;
        waitingToSend = null;
        if (data != null && socket.send(data))
        {
            handler.onSent(System.nanoTime());
        }
    }

    @Override
    public void onSent(final long atNs)
    {
        handler.onSent(atNs);
    }

    @Override
    public void onReceived(final int bytes, final long arrivalNs, final boolean mismatch)
    {
        handler.onReceived(bytes, arrivalNs, false);
        if (closed)
        {
            return;
        }
        if (protocolError != null)
        {
            final String detail = protocolError;
            final int kind = bodyMismatch ? ErrorKind.MISMATCH : ErrorKind.PROTOCOL;
            protocolError = null;
            bodyMismatch = false;
            socket.abort();
            handler.onFailed(kind, detail + " (" + address.getHostString() + ":" + address.getPort() + ")");
            return;
        }
        if (completedStatus != 0)
        {
            deliverResponse(arrivalNs);
        }
    }

    @Override
    public void onClosed()
    {
        if (outstanding && !inHead && body.framing() == BodyFraming.UNTIL_CLOSE)
        {
            if (body.endOfInput() == 0)
            {
                spent = true;
                final String differs = checkingBody ? bodyCheck.verdict() : null;
                if (differs != null)
                {
                    outstanding = false;
                    handler.onFailed(ErrorKind.MISMATCH, differs + " (" + address.getHostString() + ":" +
                        address.getPort() + ")");
                    return;
                }
                completedStatus = head.status();
                deliverResponse(System.nanoTime());
                return;
            }
        }
        if (outstanding && waitingToSend == null)
        {
            handler.onClosed();
            return;
        }
        spent = true; // an idle keep-alive connection the server closed: the next request reconnects
    }

    @Override
    public void onFailed(final int kind, final String detail)
    {
        if (!outstanding && opened && waitingToSend == null && kind == ErrorKind.RESET)
        {
            spent = true; // reset while idle: the next request reconnects
            return;
        }
        handler.onFailed(kind, detail);
    }

    // ---- framing ----

    private void connect()
    {
        socket = new NioTransport(loop, address, this, scratch, this::frame, DEFER_WRITES);
        socket.open();
    }

    private void resetFraming()
    {
        head.reset();
        inHead = true;
        heldLength = 0;
        completedStatus = 0;
        protocolError = null;
        bodyMismatch = false;
        checkingBody = false;
    }

    private void deliverResponse(final long arrivalNs)
    {
        final int status = completedStatus;
        completedStatus = 0;
        outstanding = false;
        handler.onResponse(status, arrivalNs);
    }

    /** Called by the socket with each chunk it reads. @return always true: mismatches are told otherwise. */
    private boolean frame(final ByteBuffer chunk)
    {
        if (protocolError != null)
        {
            return true;
        }
        final int length = chunk.remaining();
        if (!outstanding || completedStatus != 0)
        {
            protocolError = length + " bytes came with no request outstanding";
            return true;
        }
        if (heldLength + length > held.length)
        {
            if (heldLength + length > MAX_BUFFER)
            {
                protocolError = "a response head or chunk line longer than " + MAX_BUFFER + " bytes";
                return true;
            }
            final byte[] grown = new byte[Math.max(held.length * 2, heldLength + length)];
            System.arraycopy(held, 0, grown, 0, heldLength);
            held = grown;
        }
        chunk.get(held, heldLength, length);
        heldLength += length;
        view.wrap(held, 0, held.length);
        int offset = 0;
        while (true)
        {
            if (inHead)
            {
                final int headLength = head.decode(view, offset, heldLength - offset);
                if (headLength == HttpHeadDecoder.NEED_MORE)
                {
                    break;
                }
                if (headLength == HttpHeadDecoder.ERROR)
                {
                    protocolError = "malformed response head: " + head.errorReason();
                    return true;
                }
                offset += headLength;
                if (head.isInformational() && head.status() != 101)
                {
                    head.reset();
                    continue;
                }
                inHead = false;
                body.reset(head);
                checkingBody = bodyCheck != null && head.status() >= 200 && head.status() < 300;
                if (checkingBody)
                {
                    bodyCheck.reset();
                }
                if (!head.isKeepAlive() || head.framing() == BodyFraming.UNTIL_CLOSE)
                {
                    spent = true;
                }
            }
            final int consumed = body.decode(view, offset, heldLength - offset);
            if (consumed == HttpBodyDecoder.ERROR)
            {
                protocolError = "malformed response body: " + body.errorReason();
                return true;
            }
            offset += consumed;
            if (checkingBody && body.dataLength() > 0)
            {
                bodyCheck.update(view, body.dataOffset(), body.dataLength());
            }
            if (body.isComplete())
            {
                if (offset < heldLength)
                {
                    protocolError = (heldLength - offset) + " bytes after the response";
                    return true;
                }
                final String differs = checkingBody ? bodyCheck.verdict() : null;
                if (differs != null)
                {
                    protocolError = differs;
                    bodyMismatch = true;
                    return true;
                }
                completedStatus = head.status();
                heldLength = 0;
                return true;
            }
            if (consumed == 0 || offset == heldLength)
            {
                break;
            }
        }
        // what was taken is gone: keep the head so far (from its first byte) or what the body decoder left
        if (offset > 0)
        {
            System.arraycopy(held, offset, held, 0, heldLength - offset);
            heldLength -= offset;
        }
        return true;
    }
}
