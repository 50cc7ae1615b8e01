package dev.warren.engine.edge;

import dev.warren.api.ErrorCode;
import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpBodyDecoder;
import dev.warren.codec.http.HttpFieldsDecoder;
import dev.warren.codec.http.HttpHeadDecoder;
import dev.warren.codec.http.HttpHeadEncoder;
import dev.warren.codec.http.HttpHeaderName;
import dev.warren.codec.http.HttpMethod;
import dev.warren.codec.http.HttpRequestHeadDecoder;
import dev.warren.codec.http.HttpResponseHeadDecoder;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.net.HostPort;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * One client connection of a {@code fetch:} listener ({@link HttpFrontDoor}): reads HTTP/1.1 requests one at a
 * time, sends each as an http stream ({@link HttpProxyStream}) and writes its response back, keeping the
 * connection alive between requests as the client and the response allow (pipelined requests wait in the input
 * buffer, unread beyond it, until the response before them is written).
 * <p>
 * <b>Rewriting</b> (RFC 9110 §7.6): the request goes upstream in origin-form with hop-by-hop fields removed
 * ({@code Connection} and the fields it names, {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE},
 * {@code Upgrade}), {@code Host} from an absolute-form target's authority, and {@code Via: 1.1 warren} added; the
 * body is forwarded verbatim with its framing. The response head is rewritten the same way; its body passes
 * verbatim, written to the client straight from the tunnel's buffer when the client keeps up.
 * <p>
 * <b>Errors</b> before any response byte reached the client become a response with the status of the SPEC §5 code
 * (503 {@code destination_unavailable}, 504 {@code connection_timeout}, 400 for a request refused here, 502 for the
 * rest), the code in {@code X-Warren-Error} and the body, and the connection closes; after that the client's
 * connection is reset.
 * <p>
 * <b>Threading.</b> The connection lives on one event loop at a time: the accept loop at first, then the loop of the
 * tunnel connection carrying its current request (it moves between requests, never during one), so the relay never
 * crosses threads. Not thread-safe.
 */
final class HttpFrontDoorConnection implements IoHandler
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");
    /** Client bytes held at most: a whole request head, and the start of what follows it. */
    private static final int INPUT_SIZE = 64 * 1024;
    /**
     * Client bytes held at first: a connection that is idle or sends its head slowly holds this much, not
     * {@link #INPUT_SIZE} (10,000 such connections, a listener's default limit, in about 20 MiB rather than 640 MiB).
     * The buffer doubles when a read fills it (a long head, a body arriving fast), up to {@link #INPUT_SIZE}.
     */
    private static final int INPUT_START = 2 * 1024;
    /** Largest rewritten head: the decoders' limits (8 KiB line, 32 KiB fields) plus what is added. */
    private static final int MAX_HEAD_OUT = 48 * 1024;
    /** The rewritten-head buffer at first (most heads fit), made when the first head is written. */
    private static final int HEAD_OUT_START = 4 * 1024;
    private static final byte[] NO_BYTES = new byte[0];
    private static final int MAX_RESPONSE_HEAD = 64 * 1024;
    /**
     * Requests a client connection sends over the same tunnel connection (while it stays within the balance slack)
     * before a fresh pick: a keep-alive client stays on one loop rather than moving between loops per request, and a
     * replica that comes back still gets its share after that many requests.
     */
    static final int STICKY_REQUESTS = Integer.getInteger("warren.edge.stickyRequests", 64);
    /**
     * How long a request head may take from the connection's start or the end of the previous response (slow-loris
     * bound; an idle keep-alive connection is closed after it too). Property {@code warren.http.headTimeoutMs}.
     */
    static volatile long headTimeoutNs =
        java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.http.headTimeoutMs", 30_000));

    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int RESPONSE = 2;
    private static final int HANDED_OFF = 3;
    private static final int CLOSED = 4;
    /** An answer of our own is being written; the connection closes after it. */
    private static final int CLOSED_AFTER_WRITE = 5;

    final HttpFrontDoor door;
    private final SocketChannel client;
    private final String remote;
    private EventLoop loop;
    private SelectionKey key;
    private int state = HEAD;

    private byte[] in = new byte[INPUT_START];
    private final UnsafeBuffer inBuffer = new UnsafeBuffer(in);
    private ByteBuffer inView = ByteBuffer.wrap(in);
    private int inStart;
    private int inEnd;
    private boolean clientEnded;

    private final HttpRequestHeadDecoder requestHead = new HttpRequestHeadDecoder();
    private final HttpBodyDecoder requestBody = new HttpBodyDecoder();
    /** Checks the chunked body bytes that arrive with a head ({@link #bufferedChunksValid}); made on first use. */
    private HttpBodyDecoder chunkCheck;
    private final HttpResponseHeadDecoder responseHead = new HttpResponseHeadDecoder();
    /** Made by {@link #headOut()} when the first head is written: an idle connection holds none. */
    private UnsafeBuffer headOut;
    private final HttpHeadEncoder encoder = new HttpHeadEncoder();
    private int headOutLength;
    /** Payload bytes of the current chunked request body so far, against the listener's {@code maxBodyBytes}. */
    private long requestBodyBytes;
    /** Grown as response heads need it; empty until the first response. */
    private byte[] responseBytes = NO_BYTES;
    /** Reused view of {@link #responseBytes} for the response head decoder. */
    private final UnsafeBuffer responseView = new UnsafeBuffer(responseBytes);
    private int responseLength;

    private HttpProxyStream stream;
    /** The last exchange's stream, renewed for the next request when it has ended on the same tunnel connection. */
    private HttpProxyStream spareStream;
    /** The head timer on {@link #loop}, or -1; armed once and re-armed lazily (see {@link #armHeadTimer}). */
    private long headTimer = -1;
    /** When the awaited request head is due; 0 while no head is awaited. */
    private long headDeadlineNs;
    private final Runnable headTimeout = this::onHeadTimer;
    /** The tunnel connection of the last request, kept for up to {@link #STICKY_REQUESTS} requests. */
    private EdgeTunnelConnection lastConnection;
    private int requestsOnLast;
    /** The current request's destination and start, for choosing again ({@link #onStreamNotSent}). */
    private HostPort requestDestination;
    private long requestStartNs;
    /** The current request was sent to a second connection after its first closed before the OPEN. */
    private boolean rerouted;
    /** Reused views over the decoders' buffers: the common request path builds no {@code String}. */
    private final org.agrona.AsciiSequenceView targetView = new org.agrona.AsciiSequenceView();
    private final org.agrona.AsciiSequenceView reasonView = new org.agrona.AsciiSequenceView();
    /** {@code offset, length} pairs of the field names the {@code Connection} fields list. */
    private int[] connectionTokens = new int[16];
    private int connectionTokenCount;
    /** A view over {@link #headOut}'s array, for writing a response head without copying it first. */
    private ByteBuffer headOutView;
    /** A view over {@link #responseBytes}, and the pair for the gathering write of a head and its first body bytes. */
    private ByteBuffer responseBytesOut;
    private final ByteBuffer[] headAndBody = new ByteBuffer[2];
    private HttpMethod method;
    private boolean clientKeepAlive;
    private boolean responseHeadDone;
    private boolean responseStarted;
    private boolean responseUntilClose;
    private boolean responseEnded;
    private boolean closeAfterResponse;
    /** Client bytes waiting for the socket: (bytes, whether to credit the stream when written). */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private record Pending(ByteBuffer bytes, boolean credit)
    {
    }

    HttpFrontDoorConnection(final HttpFrontDoor door, final SocketChannel client, final EventLoop loop)
    {
        this.door = door;
        this.client = client;
        this.loop = loop;
        String from;
        try
        {
            from = String.valueOf(client.getRemoteAddress());
        }
        catch (final IOException ex)
        {
            from = "?";
        }
        this.remote = from;
    }

    /** Loop thread: starts reading the first request. */
    void start() throws IOException
    {
        key = loop.register(client, SelectionKey.OP_READ, this);
        armHeadTimer();
    }

    /**
     * Loop thread: a request head is due within the head timeout. One timer per connection, re-armed lazily: arming
     * sets the deadline, and only schedules when no timer is pending, so a keep-alive client costs no timer per
     * request; when the timer fires early (the deadline moved), it is scheduled again for what is left.
     */
    private void armHeadTimer()
    {
        headDeadlineNs = System.nanoTime() + headTimeoutNs;
        if (headTimer == -1)
        {
            headTimer = loop.schedule(headTimeoutNs, headTimeout);
        }
    }

    /** No head is awaited (a request is under way); the pending timer, if any, will find nothing to do. */
    private void disarmHeadTimer()
    {
        headDeadlineNs = 0;
    }

    /** Leaving the loop or closing: the timer must not fire on a loop the connection has left. */
    private void cancelHeadTimer()
    {
        headDeadlineNs = 0;
        loop.cancel(headTimer);
        headTimer = -1;
    }

    private void onHeadTimer()
    {
        headTimer = -1;
        if (state != HEAD || headDeadlineNs == 0)
        {
            return;
        }
        final long left = headDeadlineNs - System.nanoTime();
        if (left > 0)
        {
            headTimer = loop.schedule(left, headTimeout);
            return;
        }
        headDeadlineNs = 0;
        if (inEnd > inStart)
        {
            answer(408, "request_invalid", "the request head did not arrive within " + headTimeoutNs / 1_000_000 +
                " ms");
        }
        else
        {
            close(false); // an idle keep-alive connection
        }
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        this.key = key;
    }

    @Override
    public void onReady(final int readyOps)
    {
        if (state == CLOSED || state == HANDED_OFF)
        {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0)
        {
            writePending();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != CLOSED)
        {
            readClient();
        }
    }

    // ---- client -> tunnel --------------------------------------------------------------------------------------

    private void readClient()
    {
        if (inEnd == in.length && inStart > 0)
        {
            compact();
        }
        if (inEnd == in.length && in.length < INPUT_SIZE)
        {
            growInput();
        }
        if (inEnd == in.length)
        {
            interest(0, SelectionKey.OP_READ);
            return; // full: what is held is waiting for the tunnel or for the response before it
        }
        final int read;
        try
        {
            inView.limit(in.length).position(inEnd);
            read = client.read(inView);
        }
        catch (final IOException ex)
        {
            clientGone("read failed: " + ex.getMessage());
            return;
        }
        if (read < 0)
        {
            clientEnded = true;
            interest(0, SelectionKey.OP_READ);
            if (state == HEAD && inStart == inEnd && !requestHeadStarted())
            {
                close(false); // a clean end between requests
                return;
            }
            if (state == HEAD || state == BODY)
            {
                clientGone("the client closed its side in the middle of a request");
                return;
            }
            return; // after a complete request: the response still goes out
        }
        inEnd += read;
        if (inEnd == in.length && in.length < INPUT_SIZE)
        {
            growInput(); // the read filled the buffer: more is likely waiting (a long head, a body)
        }
        process();
    }

    private boolean requestHeadStarted()
    {
        return inEnd > inStart;
    }

    /** Runs the request side as far as the bytes held allow. */
    private void process()
    {
        while (true)
        {
            if (state == HEAD)
            {
                if (inStart == inEnd)
                {
                    interest(SelectionKey.OP_READ, 0);
                    return;
                }
                final int n = requestHead.decode(inBuffer, inStart, inEnd - inStart);
                if (n == HttpHeadDecoder.NEED_MORE)
                {
                    if (inStart > 0 && inEnd == in.length)
                    {
                        compact();
                        requestHead.reset();
                        continue;
                    }
                    interest(SelectionKey.OP_READ, 0);
                    return;
                }
                if (n == HttpHeadDecoder.ERROR)
                {
                    answer(requestHead.errorStatus(), "request_invalid", requestHead.errorReason());
                    return;
                }
                beginRequest(n);
                return;
            }
            if (state == BODY)
            {
                if (!forwardBody())
                {
                    return;
                }
                continue;
            }
            // RESPONSE: the next request waits until this response is written. Reading stays on (turning it off and on
            // per request cost two epoll_ctl calls): a pipelining client's bytes are held, and reading stops only
            // when the buffer is full (readClient).
            return;
        }
    }

    private void beginRequest(final int headLength)
    {
        disarmHeadTimer();
        final long startNs = System.nanoTime();
        method = requestHead.method();
        clientKeepAlive = requestHead.isKeepAlive();
        if (method != HttpMethod.CONNECT && !door.isForwardProxy() && isOriginForm())
        {
            // the reverse proxy's usual request: the path goes up as it came, the service's target is fixed
            requestHead.target(targetView);
            forward(headLength, targetView, null, door.serviceTarget, startNs);
            return;
        }
        final String target = requestHead.targetAsString();
        if (method == HttpMethod.CONNECT)
        {
            if (!door.isForwardProxy())
            {
                answer(405, "request_invalid", "CONNECT is served by a forward-proxy listener (fetch: a VPC Network)");
                return;
            }
            final HostPort destination;
            try
            {
                destination = HostPort.parse(target);
            }
            catch (final IllegalArgumentException ex)
            {
                answer(400, "request_invalid", "CONNECT " + target + ": " + ex.getMessage());
                return;
            }
            if (inStart + headLength != inEnd)
            {
                answer(400, "request_invalid", "bytes after CONNECT before its answer");
                return;
            }
            inStart += headLength;
            connect(destination, startNs);
            return;
        }
        final HostPort destination;
        final String path;
        final String authority;
        if (target.startsWith("/") || "*".equals(target))
        {
            if (door.isForwardProxy())
            {
                answer(400, "request_invalid", "a forward proxy needs an absolute URL (GET http://host/path) or " +
                    "CONNECT host:port, not '" + target + "'");
                return;
            }
            path = target;
            authority = null;
            destination = door.serviceTarget;
        }
        else
        {
            final URI url;
            try
            {
                url = new URI(target);
            }
            catch (final java.net.URISyntaxException ex)
            {
                answer(400, "request_invalid", "bad request target: " + ex.getMessage());
                return;
            }
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null)
            {
                answer(400, "request_invalid", "the request target must be an http URL with a host (https goes " +
                    "through CONNECT): '" + target + "'");
                return;
            }
            final String rawPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            path = url.getRawQuery() == null ? rawPath : rawPath + "?" + url.getRawQuery();
            authority = url.getRawAuthority();
            if (door.isForwardProxy())
            {
                final String host = url.getHost().startsWith("[") ?
                    url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
                try
                {
                    destination = new HostPort(host, url.getPort() == -1 ? 80 : url.getPort());
                }
                catch (final IllegalArgumentException ex)
                {
                    answer(400, "request_invalid", target + ": " + ex.getMessage());
                    return;
                }
            }
            else
            {
                destination = door.serviceTarget; // a service's target is fixed, whatever the URL names
            }
        }
        forward(headLength, path, authority, destination, startNs);
    }

    /** {@code /path} or {@code *}: the origin form (or asterisk form) of a request target. */
    private boolean isOriginForm()
    {
        final int length = requestHead.targetLength();
        final byte first = length > 0 ? requestHead.buffer().getByte(requestHead.targetOffset()) : 0;
        return first == '/' || (length == 1 && first == '*');
    }

    /** Sends the request (head rewritten with {@code path} and {@code authority}) to {@code destination}. */
    private void forward(
        final int headLength, final CharSequence path, final String authority, final HostPort destination,
        final long startNs)
    {
        final long maxBody = door.maxBodyBytes;
        if (maxBody > 0 && requestHead.framing() == BodyFraming.CONTENT_LENGTH && requestHead.contentLength() > maxBody)
        {
            bodyTooLarge("a body of " + requestHead.contentLength() + " bytes", false);
            return;
        }
        requestBodyBytes = 0;
        if (!rewriteRequestHead(path, authority))
        {
            return;
        }
        requestBody.reset(requestHead);
        inStart += headLength;
        if (requestHead.framing() == BodyFraming.CHUNKED && !bufferedChunksValid())
        {
            return;
        }
        requestDestination = destination;
        requestStartNs = startNs;
        rerouted = false;
        openStream();
    }

    /** Chooses the tunnel connection for the current request and opens its stream there. */
    private void openStream()
    {
        final HostPort destination = requestDestination;
        final long startNs = requestStartNs;
        // A new client's first request stays on the loop that accepted it when every loop accepts (no move).
        final EdgeTunnelConnection connection = lastConnection == null ? door.chooseForNewClient(loop)
            : door.registry.choose(door.tunnelId, loop, requestsOnLast < STICKY_REQUESTS ? lastConnection : null);
        if (connection == lastConnection)
        {
            requestsOnLast++;
        }
        else
        {
            lastConnection = connection;
            requestsOnLast = 1;
        }
        if (connection == null)
        {
            door.metrics.streams().failed(WireCode.DESTINATION_UNAVAILABLE);
            answer(503, ErrorCode.DESTINATION_UNAVAILABLE.code(), "no connector is connected for tunnel '" +
                door.tunnelId + "'");
            return;
        }
        state = BODY;
        responseHeadDone = false;
        responseStarted = false;
        responseUntilClose = false;
        responseEnded = false;
        responseLength = 0;
        responseHead.reset();
        responseHead.requestMethod(method);
        final HttpProxyStream opened = newStream(connection, startNs);
        stream = opened;
        if (connection.loop() == loop)
        {
            connection.open(opened, TunnelFrameEncoder.KIND_HTTP, destination.host(), destination.port(), 0);
            return;
        }
        moveTo(connection.loop(), () -> connection.open(opened, TunnelFrameEncoder.KIND_HTTP, destination.host(),
            destination.port(), 0));
    }

    /** The last exchange's stream renewed when it can be (same tunnel connection, on this loop, ended), else a new one. */
    private HttpProxyStream newStream(final EdgeTunnelConnection connection, final long startNs)
    {
        final HttpProxyStream spare = spareStream;
        spareStream = null;
        if (spare != null && spare.connection() == connection && connection.loop() == loop && spare.isRenewable())
        {
            spare.renew(startNs);
            return spare;
        }
        return new HttpProxyStream(connection, this, startNs);
    }

    /**
     * Checks the chunked body bytes that came with the head before anything goes upstream: a malformed chunk size,
     * a bare CR or LF, a forbidden trailer already here is answered 400 with nothing sent to the private host
     * (SPEC §7). Bytes that arrive later are checked as they are forwarded: the stream is then reset.
     *
     * @return false when it answered.
     */
    private boolean bufferedChunksValid()
    {
        if (chunkCheck == null)
        {
            chunkCheck = new HttpBodyDecoder();
        }
        chunkCheck.reset(requestHead);
        int at = inStart;
        while (at < inEnd && !chunkCheck.isComplete())
        {
            final int consumed = chunkCheck.decode(inBuffer, at, inEnd - at);
            if (consumed == HttpBodyDecoder.ERROR)
            {
                answer(chunkCheck.errorStatus(), "request_invalid", chunkCheck.errorReason());
                return false;
            }
            if (consumed == 0)
            {
                break;
            }
            at += consumed;
        }
        return true;
    }

    /** Writes the upstream head into {@link #headOut}; false (and an answer sent) when it cannot be written. */
    private boolean rewriteRequestHead(final CharSequence path, final String authority)
    {
        final HttpFieldsDecoder fields = requestHead.headers();
        try
        {
            encoder.wrap(headOut(), 0, headOut.capacity());
            if (method == HttpMethod.OTHER)
            {
                encoder.requestLine(requestHead.methodAsString(), path);
            }
            else
            {
                encoder.requestLine(method, path);
            }
            if (authority != null)
            {
                encoder.header(HttpHeaderName.HOST, authority);
            }
            copyEndToEndFields(fields, authority != null);
            if (requestHead.framing() == BodyFraming.CHUNKED)
            {
                encoder.chunked();
            }
            else if (requestHead.framing() == BodyFraming.CONTENT_LENGTH)
            {
                encoder.contentLength(requestHead.contentLength());
            }
            encoder.header("Via", "1.1 warren");
        }
        catch (final IllegalArgumentException ex)
        {
            answer(400, "request_invalid", ex.getMessage());
            return false;
        }
        headOutLength = encoder.end();
        if (headOutLength == HttpHeadEncoder.OVERFLOW && growHeadOut())
        {
            return rewriteRequestHead(path, authority);
        }
        if (headOutLength == HttpHeadEncoder.OVERFLOW)
        {
            answer(431, "request_invalid", "request head too large once rewritten");
            return false;
        }
        return true;
    }

    /** Every field but framing, hop-by-hop ones and those {@code Connection} names; {@code Host} unless replaced. */
    private void copyEndToEndFields(final HttpFieldsDecoder fields, final boolean hostReplaced)
    {
        collectConnectionTokens(fields);
        for (int i = 0; i < fields.count(); i++)
        {
            if (fields.nameEquals(i, HttpHeaderName.CONTENT_LENGTH) ||
                fields.nameEquals(i, HttpHeaderName.TRANSFER_ENCODING) ||
                (hostReplaced && fields.nameEquals(i, HttpHeaderName.HOST)) || isHopByHop(fields, i) ||
                isListedInConnection(fields, i))
            {
                continue;
            }
            encoder.header(fields.buffer(), fields.nameOffset(i), fields.nameLength(i), fields.valueOffset(i),
                fields.valueLength(i));
        }
    }

    private static boolean isHopByHop(final HttpFieldsDecoder fields, final int i)
    {
        return fields.nameEquals(i, HttpHeaderName.CONNECTION) || fields.nameEquals(i, HttpHeaderName.KEEP_ALIVE) ||
            fields.nameEquals(i, HttpHeaderName.PROXY_CONNECTION) || fields.nameEquals(i, HttpHeaderName.TE) ||
            fields.nameEquals(i, HttpHeaderName.UPGRADE);
    }

    /**
     * Notes where the field names that the {@code Connection} fields list are (RFC 9110 §7.6.1: those fields are
     * hop-by-hop too): the comma-separated elements, optional whitespace trimmed, as offsets into the head's buffer.
     */
    private void collectConnectionTokens(final HttpFieldsDecoder fields)
    {
        connectionTokenCount = 0;
        final DirectBuffer buffer = fields.buffer();
        for (int i = fields.indexOf(HttpHeaderName.CONNECTION); i >= 0;
            i = fields.indexOf(HttpHeaderName.CONNECTION, i + 1))
        {
            final int end = fields.valueOffset(i) + fields.valueLength(i);
            int at = fields.valueOffset(i);
            while (at < end)
            {
                int tokenEnd = at;
                while (tokenEnd < end && buffer.getByte(tokenEnd) != ',')
                {
                    tokenEnd++;
                }
                int from = at;
                int to = tokenEnd;
                while (from < to && isWhitespace(buffer.getByte(from)))
                {
                    from++;
                }
                while (to > from && isWhitespace(buffer.getByte(to - 1)))
                {
                    to--;
                }
                if (to > from)
                {
                    if (connectionTokenCount * 2 == connectionTokens.length)
                    {
                        connectionTokens = java.util.Arrays.copyOf(connectionTokens, connectionTokens.length * 2);
                    }
                    connectionTokens[connectionTokenCount * 2] = from;
                    connectionTokens[connectionTokenCount * 2 + 1] = to - from;
                    connectionTokenCount++;
                }
                at = tokenEnd + 1;
            }
        }
    }

    private boolean isListedInConnection(final HttpFieldsDecoder fields, final int i)
    {
        if (connectionTokenCount == 0)
        {
            return false;
        }
        final DirectBuffer buffer = fields.buffer();
        final int nameOffset = fields.nameOffset(i);
        final int nameLength = fields.nameLength(i);
        for (int t = 0; t < connectionTokenCount; t++)
        {
            final int tokenOffset = connectionTokens[t * 2];
            if (connectionTokens[t * 2 + 1] == nameLength &&
                equalsIgnoreAsciiCase(buffer, nameOffset, tokenOffset, nameLength))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreAsciiCase(final DirectBuffer buffer, final int a, final int b, final int length)
    {
        for (int k = 0; k < length; k++)
        {
            if (lower(buffer.getByte(a + k)) != lower(buffer.getByte(b + k)))
            {
                return false;
            }
        }
        return true;
    }

    private static int lower(final byte b)
    {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\t';
    }

    /** Loop thread of the stream's connection: OPEN went out; the head follows, then the body. */
    void onOpenSent(final HttpProxyStream opened)
    {
        if (opened != stream)
        {
            return;
        }
        if (opened.room() < headOutLength)
        {
            opened.cancel(WireCode.REQUEST_INVALID, "request head larger than the stream's window");
            answer(431, "request_invalid", "request head larger than the stream's initial window");
            return;
        }
        opened.send(headOut, 0, headOutLength);
        process();
    }

    /** @return true when the body is complete (state moved on), false when waiting for bytes or credit. */
    private boolean forwardBody()
    {
        while (!requestBody.isComplete())
        {
            if (inStart == inEnd)
            {
                if (clientEnded)
                {
                    clientGone("the client closed its side in the middle of a request body");
                    return false;
                }
                interest(SelectionKey.OP_READ, 0);
                return false;
            }
            final int room = stream.room();
            if (room == 0)
            {
                interest(0, SelectionKey.OP_READ);
                stream.waitForCredit();
                return false;
            }
            final int consumed = requestBody.decode(inBuffer, inStart, Math.min(room, inEnd - inStart));
            if (consumed == HttpBodyDecoder.ERROR)
            {
                stream.cancel(WireCode.REQUEST_INVALID, "malformed request body");
                answer(requestBody.errorStatus(), "request_invalid", requestBody.errorReason());
                return false;
            }
            if (consumed == 0)
            {
                if (inStart > 0)
                {
                    compact(); // a partial trailer section: keep it contiguous with what follows
                }
                interest(SelectionKey.OP_READ, 0);
                return false;
            }
            if (door.maxBodyBytes > 0 && requestBody.framing() == BodyFraming.CHUNKED &&
                (requestBodyBytes += requestBody.dataLength()) > door.maxBodyBytes)
            {
                stream.cancel(WireCode.REQUEST_INVALID, "request body over the listener's maxBodyBytes");
                bodyTooLarge("a chunked body of more than " + door.maxBodyBytes + " bytes", responseStarted);
                return false;
            }
            stream.send(inBuffer, inStart, consumed);
            inStart += consumed;
        }
        stream.fin();
        state = RESPONSE;
        return true;
    }

    void onSendCredit(final HttpProxyStream credited)
    {
        if (credited == stream && state == BODY)
        {
            process();
        }
    }

    // ---- tunnel -> client --------------------------------------------------------------------------------------

    void onResponseBytes(final HttpProxyStream from, final DirectBuffer buffer, final int offset, final int length)
    {
        if (from != stream || state == CLOSED)
        {
            from.credit(length);
            return;
        }
        if (responseHeadDone)
        {
            writeBody(from, buffer, offset, length);
            return;
        }
        if (responseLength + length > MAX_RESPONSE_HEAD)
        {
            fail(from, WireCode.PROTOCOL_ERROR, "response head larger than " + MAX_RESPONSE_HEAD + " bytes");
            return;
        }
        if (responseLength + length > responseBytes.length)
        {
            responseBytes = java.util.Arrays.copyOf(responseBytes,
                Math.max(responseBytes.length * 2, responseLength + length));
        }
        buffer.getBytes(offset, responseBytes, responseLength, length);
        responseLength += length;
        from.credit(length); // copied: bounded by the head limit
        final UnsafeBuffer view = responseView;
        view.wrap(responseBytes, 0, responseLength);
        while (!responseHeadDone)
        {
            final int n = responseHead.decode(view, 0, responseLength);
            if (n == HttpHeadDecoder.NEED_MORE)
            {
                return;
            }
            if (n == HttpHeadDecoder.ERROR)
            {
                fail(from, WireCode.PROTOCOL_ERROR, "the private host sent a malformed response: " +
                    responseHead.errorReason());
                return;
            }
            if (responseHead.isInformational())
            {
                if (responseHead.status() == 101)
                {
                    fail(from, WireCode.PROTOCOL_ERROR, "the private host switched protocols; not relayed here");
                    return;
                }
                writeClient(ByteBuffer.wrap(java.util.Arrays.copyOf(responseBytes, n)), false);
                responseStarted = true;
                System.arraycopy(responseBytes, n, responseBytes, 0, responseLength - n);
                responseLength -= n;
                responseHead.reset();
                responseHead.requestMethod(method);
                if (responseLength == 0)
                {
                    return;
                }
                view.wrap(responseBytes, 0, responseLength);
                continue;
            }
            responseHeadDone = true;
            responseUntilClose = responseHead.framing() == BodyFraming.UNTIL_CLOSE;
            if (!rewriteResponseHead())
            {
                fail(from, WireCode.PROTOCOL_ERROR, "the response head could not be relayed");
                return;
            }
            responseStarted = true;
            // the head and the body bytes that came with it in one gathering write, from where they are (the head
            // buffer, the response buffer): one syscall and no copy, whatever the body's size
            final int bodyBytes = responseLength - n;
            responseLength = 0;
            writeClientHeadAndBody(headOutLength, n, bodyBytes);
        }
    }

    private boolean rewriteResponseHead()
    {
        final HttpFieldsDecoder fields = responseHead.headers();
        try
        {
            encoder.wrap(headOut(), 0, headOut.capacity()).statusLine(responseHead.status(),
                responseHead.reason(reasonView));
            copyEndToEndFields(fields, false);
            if (responseHead.framing() == BodyFraming.CHUNKED)
            {
                encoder.chunked();
            }
            else if (responseHead.contentLength() >= 0)
            {
                encoder.contentLength(responseHead.contentLength());
            }
            encoder.header("Via", "1.1 warren");
            if (!clientKeepAlive || responseUntilClose)
            {
                encoder.connectionClose();
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
        headOutLength = encoder.end();
        if (headOutLength == HttpHeadEncoder.OVERFLOW && growHeadOut())
        {
            return rewriteResponseHead();
        }
        return headOutLength != HttpHeadEncoder.OVERFLOW;
    }

    private void writeBody(final HttpProxyStream from, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!pending.isEmpty())
        {
            pending.addLast(new Pending(copy(buffer, offset, length), true));
            return;
        }
        final ByteBuffer bytes = from.view(offset, length);
        final int written;
        try
        {
            written = client.write(bytes);
        }
        catch (final IOException ex)
        {
            clientGone("write failed: " + ex.getMessage());
            return;
        }
        if (written > 0)
        {
            from.credit(written);
        }
        if (written < length)
        {
            pending.addLast(new Pending(copy(buffer, offset + written, length - written), true));
            interest(SelectionKey.OP_WRITE, 0);
        }
    }

    private static ByteBuffer copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return ByteBuffer.wrap(bytes);
    }

    void onResponseEnd(final HttpProxyStream from)
    {
        if (from != stream || state == CLOSED)
        {
            return;
        }
        if (!responseHeadDone)
        {
            fail(from, WireCode.PROTOCOL_ERROR, "the stream ended without a complete response head");
            return;
        }
        responseEnded = true;
        if (pending.isEmpty())
        {
            exchangeDone();
        }
    }

    /** The response is written: next request, or close. */
    private void exchangeDone()
    {
        final boolean requestComplete = state == RESPONSE;
        if (!requestComplete && stream != null && !stream.isOver())
        {
            stream.cancel(WireCode.CANCELLED, "the response ended before the request body did");
        }
        spareStream = stream;
        stream = null;
        if (!clientKeepAlive || responseUntilClose || closeAfterResponse || !requestComplete)
        {
            close(false);
            return;
        }
        state = HEAD;
        requestHead.reset();
        armHeadTimer();
        if (clientEnded && inStart == inEnd)
        {
            close(false);
            return;
        }
        process();
    }

    /**
     * {@code from} failed before its OPEN went out: nothing of the request left the edge. When the connection chosen
     * for it closed in the moment between the choice and the open (a connector killed: the connection was chosen on
     * one loop while its own loop was reading its end), a request without a body goes to another connection, once.
     */
    void onStreamNotSent(final HttpProxyStream from, final int code, final String message)
    {
        if (from == stream && state == BODY && code == WireCode.DESTINATION_UNAVAILABLE && !rerouted &&
            requestHead.framing() == BodyFraming.NONE)
        {
            rerouted = true;
            stream = null;
            LOG.log(DEBUG, () -> door.description + " client " + remote + ": " + message + "; choosing another");
            openStream();
            return;
        }
        door.metrics.streams().failed(code);
        onStreamFailed(from, code, message);
    }

    void onStreamFailed(final HttpProxyStream from, final int code, final String message)
    {
        if (from != stream || state == CLOSED)
        {
            return;
        }
        stream = null;
        LOG.log(DEBUG, () -> door.description + " client " + remote + ": " + WireCode.name(code) + ": " + message);
        if (responseStarted)
        {
            close(true); // part of a response went out: the client must see an error, not a short response
            return;
        }
        final ErrorCode error = ErrorCode.fromWire(code);
        answer(statusFor(error), error.code(), message);
    }

    private void fail(final HttpProxyStream from, final int code, final String message)
    {
        from.cancel(code, message);
        onStreamFailed(from, code, message);
    }

    static int statusFor(final ErrorCode error)
    {
        switch (error)
        {
            case DESTINATION_UNAVAILABLE:
                return 503;
            case CONNECTION_TIMEOUT:
                return 504;
            case REQUEST_INVALID:
                return 400;
            case CONNECTION_LIMIT_REACHED:
                return 503;
            default:
                return 502;
        }
    }

    // ---- client socket -----------------------------------------------------------------------------------------

    private void writeClient(final ByteBuffer bytes, final boolean credit)
    {
        if (writeUnlessQueued(bytes) && bytes.hasRemaining())
        {
            pending.addLast(new Pending(bytes, credit));
            interest(SelectionKey.OP_WRITE, 0);
        }
    }

    /**
     * Writes the rewritten head ({@code headLength} bytes of {@link #headOut}) and {@code bodyLength} bytes of
     * {@link #responseBytes} from {@code bodyOffset} in one gathering write, straight from those buffers; only what
     * the socket does not take at once is copied (both buffers are reused for the next response).
     */
    private void writeClientHeadAndBody(final int headLength, final int bodyOffset, final int bodyLength)
    {
        if (headOutView == null || headOutView.array() != headOut.byteArray())
        {
            headOutView = ByteBuffer.wrap(headOut.byteArray()); // made again only when the buffer grew
        }
        if (responseBytesOut == null || responseBytesOut.array() != responseBytes)
        {
            responseBytesOut = ByteBuffer.wrap(responseBytes);
        }
        final ByteBuffer[] both = headAndBody;
        both[0] = headOutView;
        both[1] = responseBytesOut;
        headOutView.clear().limit(headLength);
        responseBytesOut.clear().limit(bodyOffset + bodyLength).position(bodyOffset);
        if (pending.isEmpty())
        {
            try
            {
                client.write(both, 0, 2);
            }
            catch (final IOException ex)
            {
                clientGone("write failed: " + ex.getMessage());
                return;
            }
        }
        final int left = headOutView.remaining() + responseBytesOut.remaining();
        if (left > 0)
        {
            final ByteBuffer rest = ByteBuffer.allocate(left);
            rest.put(headOutView).put(responseBytesOut).flip();
            pending.addLast(new Pending(rest, false));
            interest(SelectionKey.OP_WRITE, 0);
        }
    }

    /**
     * Writes {@code bytes} to the client now, unless earlier bytes wait (then nothing is written, to keep the order).
     *
     * @return false when the client is gone (the write failed).
     */
    private boolean writeUnlessQueued(final ByteBuffer bytes)
    {
        if (!pending.isEmpty())
        {
            return true;
        }
        try
        {
            client.write(bytes);
            return true;
        }
        catch (final IOException ex)
        {
            clientGone("write failed: " + ex.getMessage());
            return false;
        }
    }

    private void writePending()
    {
        Pending head;
        while ((head = pending.peekFirst()) != null)
        {
            final int before = head.bytes.remaining();
            try
            {
                client.write(head.bytes);
            }
            catch (final IOException ex)
            {
                clientGone("write failed: " + ex.getMessage());
                return;
            }
            final int written = before - head.bytes.remaining();
            if (head.credit && written > 0 && stream != null)
            {
                stream.credit(written);
            }
            if (head.bytes.hasRemaining())
            {
                return;
            }
            pending.pollFirst();
        }
        interest(0, SelectionKey.OP_WRITE);
        if (state == CLOSED_AFTER_WRITE)
        {
            close(false);
        }
        else if (responseEnded && state != CLOSED && stream != null)
        {
            exchangeDone();
        }
    }

    /**
     * The request's body is over the listener's {@code maxBodyBytes}: 413 and close (a response already under way
     * is cut instead), and one log line naming the client. Nothing of the body went upstream past the limit.
     */
    private void bodyTooLarge(final String what, final boolean responseUnderWay)
    {
        LOG.log(System.Logger.Level.INFO, () -> door.description + " client " + remote + ": " + what +
            " is over maxBodyBytes " + door.maxBodyBytes + (responseUnderWay ? ": cut" : ": 413"));
        if (responseUnderWay)
        {
            clientGone("request body over maxBodyBytes after the response began");
            return;
        }
        answer(413, "request_invalid", what + " is over this listener's limit of " + door.maxBodyBytes + " bytes");
    }

    /** Answers {@code status} with the SPEC §5 code in {@code X-Warren-Error} and the body, then closes. */
    private void answer(final int status, final String code, final String message)
    {
        if (stream != null && !stream.isOver())
        {
            stream.cancel(WireCode.CANCELLED, "the front door answered the client itself");
        }
        stream = null;
        final byte[] body = (code + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        encoder.wrap(headOut(), 0, headOut.capacity()).statusLine(status).header(HttpHeaderName.CONTENT_TYPE,
            "text/plain; charset=utf-8").header("X-Warren-Error", code).contentLength(body.length)
            .connectionClose();
        final int length = encoder.end();
        final ByteBuffer response = ByteBuffer.allocate(length + body.length);
        response.put(headOut.byteArray(), 0, length).put(body).flip();
        writeClient(response, false);
        if (state == CLOSED)
        {
            return;
        }
        state = CLOSED_AFTER_WRITE;
        if (pending.isEmpty())
        {
            close(false);
        }
    }

    /** A CONNECT: the client's socket moves to a tcp stream, which answers it and relays it. */
    private void connect(final HostPort destination, final long startNs)
    {
        final EdgeTunnelConnection connection = lastConnection == null ? door.chooseForNewClient(loop)
            : door.registry.choose(door.tunnelId, loop);
        if (connection == null)
        {
            door.metrics.streams().failed(WireCode.DESTINATION_UNAVAILABLE);
            answer(503, ErrorCode.DESTINATION_UNAVAILABLE.code(), "no connector is connected for tunnel '" +
                door.tunnelId + "'");
            return;
        }
        state = HANDED_OFF;
        cancelHeadTimer();
        key.cancel();
        key = null;
        final ConnectProxyStream tunnel = new ConnectProxyStream(connection, client, door.description + " client " +
            remote + " CONNECT " + destination, door.metrics, startNs, door.slots::release);
        connection.loop().execute(() -> connection.open(tunnel, TunnelFrameEncoder.KIND_TCP, destination.host(),
            destination.port(), 0));
    }

    /**
     * Moves the client connection to {@code target}'s loop (between requests, so nothing is in flight) and runs
     * {@code then} there.
     */
    private void moveTo(final EventLoop target, final Runnable then)
    {
        if (target == loop)
        {
            then.run();
            return;
        }
        door.loopMoves.increment();
        final int ops = key.interestOps();
        cancelHeadTimer();
        key.cancel();
        key = null;
        loop = target;
        target.execute(() -> registerThen(target, ops, then, 0));
    }

    /**
     * On {@code target}'s loop: registers the client and runs {@code then}. A selector keeps a cancelled key until its
     * next select, so a connection that comes back to a loop it left a moment ago may find its old key still there
     * ({@link CancelledKeyException}): it tries again after that loop's next cycle. {@code then} (which opens a stream
     * a caller was promised) runs in every case, so the promise is kept even when the client cannot be registered.
     */
    private void registerThen(final EventLoop target, final int ops, final Runnable then, final int attempt)
    {
        String failure = null;
        try
        {
            key = target.register(client, ops, this);
        }
        catch (final CancelledKeyException ex)
        {
            if (attempt < 100)
            {
                target.schedule(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1),
                    () -> registerThen(target, ops, then, attempt + 1));
                return;
            }
            failure = "still registered with " + target.name() + " after 100 tries";
        }
        catch (final IOException ex)
        {
            failure = "cannot move to " + target.name() + ": " + ex.getMessage();
        }
        then.run();
        if (failure != null)
        {
            clientGone(failure);
        }
    }

    private void interest(final int on, final int off)
    {
        if (key != null && key.isValid())
        {
            key.interestOps((key.interestOps() | on) & ~off);
        }
    }

    /** Doubles the input buffer (up to {@link #INPUT_SIZE}), keeping every byte at its offset. */
    private void growInput()
    {
        in = java.util.Arrays.copyOf(in, Math.min(INPUT_SIZE, in.length * 2));
        inBuffer.wrap(in);
        inView = ByteBuffer.wrap(in);
    }

    private UnsafeBuffer headOut()
    {
        if (headOut == null)
        {
            headOut = new UnsafeBuffer(new byte[HEAD_OUT_START]);
        }
        return headOut;
    }

    /** @return false when the head buffer is at its largest already. */
    private boolean growHeadOut()
    {
        if (headOut.capacity() >= MAX_HEAD_OUT)
        {
            return false;
        }
        headOut.wrap(new byte[MAX_HEAD_OUT]);
        return true;
    }

    private void compact()
    {
        System.arraycopy(in, inStart, in, 0, inEnd - inStart);
        inEnd -= inStart;
        inStart = 0;
    }

    private void clientGone(final String why)
    {
        LOG.log(DEBUG, () -> door.description + " client " + remote + ": " + why);
        if (stream != null && !stream.isOver())
        {
            stream.cancel(WireCode.CANCELLED, "front-door client gone: " + why);
        }
        stream = null;
        close(true);
    }

    private void close(final boolean abortive)
    {
        if (state == CLOSED)
        {
            return;
        }
        if (state != HANDED_OFF)
        {
            door.slots.release();
        }
        state = CLOSED;
        cancelHeadTimer();
        pending.clear();
        if (key != null)
        {
            key.cancel();
        }
        try
        {
            if (abortive)
            {
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            client.close();
        }
        catch (final IOException ignore)
        {
            // gone already
        }
    }

    /** For a CONNECT that failed before it was answered: a best-effort error response, then close. */
    static void answerAndClose(final SocketChannel client, final int code, final String message)
    {
        final ErrorCode error = ErrorCode.fromWire(code);
        final byte[] body = (error.code() + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        final String head = "HTTP/1.1 " + statusFor(error) + " " + HttpHeadEncoder.reasonPhrase(statusFor(error)) +
            "\r\nContent-Type: text/plain; charset=utf-8\r\nX-Warren-Error: " + error.code() +
            "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try
        {
            final ByteBuffer bytes = ByteBuffer.allocate(head.length() + body.length);
            bytes.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            client.write(bytes);
            client.close();
        }
        catch (final IOException ex)
        {
            TcpFrontDoor.reset(client);
        }
    }
}
