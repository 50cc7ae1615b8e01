package dev.warren.engine.fetch;

import dev.warren.api.ErrorCode;
import dev.warren.api.FetchResponse;
import dev.warren.api.HttpHeaders;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpBodyDecoder;
import dev.warren.codec.http.HttpFieldsDecoder;
import dev.warren.codec.http.HttpHeadDecoder;
import dev.warren.codec.http.HttpMethod;
import dev.warren.codec.http.HttpResponseHeadDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One HTTP/1.1 request and its response over a tunnel {@link TcpSocket}: subscribes to the socket's bytes, decodes
 * the response head (1xx heads are skipped), then hands the body out to one subscriber as it requests it, one
 * socket read at a time, so memory stays within the stream's window and the body subscriber's demand is the
 * backpressure. The socket is closed when the body ends, fails, or the subscriber cancels.
 * <p>
 * <b>Threading.</b> Socket callbacks come on an engine event loop, the body subscriber's calls from any thread; the
 * state is guarded by this object's monitor, and subscriber methods are called outside it.
 */
final class FetchExchange implements Flow.Subscriber<ByteBuffer>, FetchResponse
{
    /** Largest response head accepted (the decoder's own header limits apply within it). */
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final TcpSocket socket;
    private final URI url;
    private final boolean redirected;
    private final String description;
    private final CompletableFuture<FetchResponse> headFuture = new CompletableFuture<>();
    private final HttpResponseHeadDecoder headDecoder = new HttpResponseHeadDecoder();
    private final HttpBodyDecoder bodyDecoder = new HttpBodyDecoder();
    private final BodyPublisher body = new BodyPublisher();

    private Flow.Subscription socketSubscription;
    private byte[] head = new byte[4096];
    private int headLength;
    private boolean headDone;
    private int status;
    private String statusText = "";
    private HttpHeaders headers = HttpHeaders.EMPTY;
    private UnsafeBuffer input;
    private int inputOffset;
    private int inputLimit;
    private boolean ended;
    /** One socket read is requested and not yet delivered: never ask for a second (it would overwrite the first). */
    private boolean awaitingSocket;
    /** The streamed request body being sent, or null. */
    private BodyUpload upload;

    FetchExchange(
        final TcpSocket socket, final URI url, final String method, final boolean redirected, final String description)
    {
        this.socket = socket;
        this.url = url;
        this.redirected = redirected;
        this.description = description;
        final HttpMethod known = knownMethod(method);
        if (known != null)
        {
            headDecoder.requestMethod(known);
        }
    }

    private static HttpMethod knownMethod(final String method)
    {
        for (final HttpMethod candidate : HttpMethod.values())
        {
            if (candidate.name().equals(method))
            {
                return candidate;
            }
        }
        return null;
    }

    /** Sends {@code request} (a head, and the body when it is bytes) and starts reading. */
    CompletableFuture<FetchResponse> start(final ByteBuffer request)
    {
        return start(request, null, -1);
    }

    /**
     * Sends {@code request}, then streams {@code bodyPublisher} (when not null) within the stream's credit, and
     * starts reading.
     *
     * @param bodyLength the {@code Content-Length} the head declares, or -1 when the head says chunked.
     */
    CompletableFuture<FetchResponse> start(
        final ByteBuffer request, final Flow.Publisher<ByteBuffer> bodyPublisher, final long bodyLength)
    {
        socket.readable().subscribe(this);
        socket.write(request).whenComplete((ignored, error) ->
        {
            if (error != null)
            {
                fail(error);
            }
        });
        if (bodyPublisher != null)
        {
            final BodyUpload streamed = new BodyUpload(socket, bodyLength, description, this::fail);
            final boolean alreadyEnded;
            synchronized (this)
            {
                alreadyEnded = ended;
                upload = streamed;
            }
            if (alreadyEnded)
            {
                streamed.cancel(); // aborted before it started: the publisher is never asked for a byte
            }
            streamed.start(bodyPublisher);
        }
        socket.opened().whenComplete((ignored, error) ->
        {
            if (error != null)
            {
                fail(error);
            }
        });
        return headFuture;
    }

    /** Any thread: stops the streamed request body, if any (the exchange ended). */
    private void stopUpload()
    {
        final BodyUpload streamed;
        synchronized (this)
        {
            streamed = upload;
        }
        if (streamed != null)
        {
            streamed.cancel();
        }
    }

    /** Any thread: resets the stream now (the caller cancelled or timed out). */
    void abort()
    {
        fail(new WarrenException(ErrorCode.CONNECTION_TERMINATED, description + ": cancelled by the caller"));
        socket.abort();
    }

    // ---- socket side -------------------------------------------------------------------------------------------

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        synchronized (this)
        {
            socketSubscription = subscription;
            awaitingSocket = true;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(final ByteBuffer bytes)
    {
        Runnable after = null;
        synchronized (this)
        {
            awaitingSocket = false;
            if (ended)
            {
                return;
            }
            if (!headDone)
            {
                after = onHeadBytes(bytes);
            }
            else
            {
                setInput(bytes);
            }
        }
        if (after != null)
        {
            after.run();
        }
        body.drain();
    }

    /** Accumulates head bytes; @return what to run outside the monitor, or null. */
    private Runnable onHeadBytes(final ByteBuffer bytes)
    {
        final int length = bytes.remaining();
        if (headLength + length > MAX_HEAD_BYTES + 4096)
        {
            return failure(new WarrenException(ErrorCode.PROTOCOL_ERROR, description + ": response head too large"));
        }
        if (headLength + length > head.length)
        {
            head = java.util.Arrays.copyOf(head, Math.max(head.length * 2, headLength + length));
        }
        bytes.get(head, headLength, length);
        headLength += length;
        while (true)
        {
            final UnsafeBuffer view = new UnsafeBuffer(head, 0, headLength);
            final int result = headDecoder.decode(view, 0, headLength);
            if (result == HttpHeadDecoder.NEED_MORE)
            {
                return requestSocket();
            }
            if (result == HttpHeadDecoder.ERROR)
            {
                return failure(new WarrenException(ErrorCode.PROTOCOL_ERROR, description + ": malformed response: " +
                    headDecoder.errorStatus() + " " + headDecoder.errorReason()));
            }
            if (headDecoder.isInformational())
            {
                // 100 Continue and friends: drop that head, decode what follows it.
                System.arraycopy(head, result, head, 0, headLength - result);
                headLength -= result;
                headDecoder.reset();
                if (headLength == 0)
                {
                    return requestSocket();
                }
                continue;
            }
            headDone = true;
            status = headDecoder.status();
            statusText = headDecoder.reasonAsString();
            headers = readHeaders(headDecoder.headers());
            bodyDecoder.reset(headDecoder);
            input = new UnsafeBuffer(head, 0, headLength);
            inputOffset = result;
            inputLimit = headLength;
            if (bodyDecoder.isComplete() && bodyDecoder.framing() != BodyFraming.UNTIL_CLOSE)
            {
                // No body (HEAD, 204, 304, Content-Length: 0): the connection is done with.
                return () ->
                {
                    stopUpload();
                    socket.close();
                    headFuture.complete(this);
                };
            }
            return () -> headFuture.complete(this);
        }
    }

    /** Under the monitor: marks a socket read as requested; @return the request to run outside the monitor. */
    private Runnable requestSocket()
    {
        awaitingSocket = true;
        final Flow.Subscription subscription = socketSubscription;
        return () -> subscription.request(1);
    }

    private static HttpHeaders readHeaders(final HttpFieldsDecoder fields)
    {
        final List<Map.Entry<String, String>> list = new ArrayList<>(fields.count());
        for (int i = 0; i < fields.count(); i++)
        {
            list.add(Map.entry(fields.nameAsString(i), fields.valueAsString(i)));
        }
        return HttpHeaders.of(list);
    }

    /** New socket bytes; what the body decoder left unconsumed (a partial chunk line) goes in front of them. */
    private void setInput(final ByteBuffer bytes)
    {
        final int carried = input == null ? 0 : inputLimit - inputOffset;
        if (carried > 0)
        {
            final byte[] joined = new byte[carried + bytes.remaining()];
            input.getBytes(inputOffset, joined, 0, carried);
            bytes.get(joined, carried, bytes.remaining());
            input = new UnsafeBuffer(joined);
            inputOffset = 0;
            inputLimit = joined.length;
        }
        else
        {
            input = new UnsafeBuffer(bytes);
            inputOffset = bytes.position();
            inputLimit = bytes.limit();
        }
        body.needMore = false;
    }

    @Override
    public void onError(final Throwable error)
    {
        fail(error);
    }

    @Override
    public void onComplete()
    {
        Runnable after = null;
        synchronized (this)
        {
            if (ended)
            {
                return;
            }
            if (!headDone)
            {
                after = failure(new WarrenException(ErrorCode.CONNECTION_TERMINATED, description +
                    ": the private host closed the connection before the response head"));
            }
            else
            {
                body.inputEnded = true;
            }
        }
        if (after != null)
        {
            after.run();
        }
        body.drain();
    }

    private void fail(final Throwable error)
    {
        final Runnable after;
        synchronized (this)
        {
            after = ended ? null : failure(error);
        }
        if (after != null)
        {
            after.run();
        }
    }

    /** Under the monitor: ends the exchange; @return the notifications to run outside it. */
    private Runnable failure(final Throwable cause)
    {
        ended = true;
        final WarrenException error = cause instanceof WarrenException ? (WarrenException)cause :
            cause.getCause() instanceof WarrenException ? (WarrenException)cause.getCause() :
            new WarrenException(ErrorCode.CONNECTION_TERMINATED, description + ": " + cause, cause);
        final boolean headWasDone = headDone;
        return () ->
        {
            stopUpload();
            socket.abort();
            if (!headWasDone)
            {
                headFuture.completeExceptionally(error);
            }
            else
            {
                body.fail(error);
            }
        };
    }

    // ---- FetchResponse -----------------------------------------------------------------------------------------

    @Override
    public int status()
    {
        return status;
    }

    @Override
    public String statusText()
    {
        return statusText;
    }

    @Override
    public HttpHeaders headers()
    {
        return headers;
    }

    @Override
    public URI url()
    {
        return url;
    }

    @Override
    public boolean redirected()
    {
        return redirected;
    }

    @Override
    public Flow.Publisher<ByteBuffer> body()
    {
        return body;
    }

    @Override
    public CompletableFuture<byte[]> bytes()
    {
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.subscribe(new Flow.Subscriber<>()
        {
            @Override
            public void onSubscribe(final Flow.Subscription subscription)
            {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(final ByteBuffer item)
            {
                final byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                synchronized (out)
                {
                    out.write(chunk, 0, chunk.length);
                }
            }

            @Override
            public void onError(final Throwable throwable)
            {
                result.completeExceptionally(throwable);
            }

            @Override
            public void onComplete()
            {
                synchronized (out)
                {
                    result.complete(out.toByteArray());
                }
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<String> text()
    {
        return bytes().thenApply(bytes -> new String(bytes, charset()));
    }

    private Charset charset()
    {
        final String type = headers.first("content-type");
        if (type != null)
        {
            final int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0)
            {
                String name = type.substring(at + 8).trim();
                final int end = name.indexOf(';');
                name = (end >= 0 ? name.substring(0, end) : name).replace("\"", "").trim();
                try
                {
                    return Charset.forName(name);
                }
                catch (final IllegalArgumentException ignore)
                {
                    // an unknown charset reads as UTF-8
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString()
    {
        return "FetchResponse[" + status + " " + statusText + ", " + url + "] " + state();
    }

    /** The response body: one subscriber, fed from the socket as it requests. */
    private final class BodyPublisher implements Flow.Publisher<ByteBuffer>, Flow.Subscription
    {
        private Flow.Subscriber<? super ByteBuffer> subscriber;
        private long demand;
        private boolean done;
        private boolean inputEnded;
        /** The decoder consumed nothing from what is left: it needs the next socket read appended. */
        private boolean needMore;
        private boolean draining;
        /** A drain() found another thread delivering: that thread must look again before it stops. */
        private boolean missed;
        private WarrenException error;

        @Override
        public String toString()
        {
            return "Body[demand=" + demand + " done=" + done + " inputEnded=" + inputEnded + " needMore=" + needMore +
                " draining=" + draining + " error=" + error + "]";
        }

        @Override
        public void subscribe(final Flow.Subscriber<? super ByteBuffer> newSubscriber)
        {
            synchronized (FetchExchange.this)
            {
                if (subscriber != null)
                {
                    newSubscriber.onSubscribe(this);
                    newSubscriber.onError(new IllegalStateException(description + ": the body has a reader already"));
                    return;
                }
                subscriber = newSubscriber;
            }
            newSubscriber.onSubscribe(this);
            drain();
        }

        @Override
        public void request(final long n)
        {
            synchronized (FetchExchange.this)
            {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + Math.max(0, n);
            }
            drain();
        }

        @Override
        public void cancel()
        {
            synchronized (FetchExchange.this)
            {
                done = true;
                ended = true;
            }
            stopUpload();
            socket.abort();
        }

        void fail(final WarrenException failure)
        {
            synchronized (FetchExchange.this)
            {
                error = failure;
            }
            drain();
        }

        /** Delivers what demand allows; asks the socket for more when the current read is used up. */
        void drain()
        {
            while (true)
            {
                ByteBuffer next = null;
                boolean complete = false;
                Throwable failed = null;
                boolean requestMore = false;
                boolean progressed = false;
                Flow.Subscriber<? super ByteBuffer> target;
                synchronized (FetchExchange.this)
                {
                    target = subscriber;
                    if (draining)
                    {
                        missed = true; // the thread delivering now will look again before it stops
                        return;
                    }
                    if (target == null || done || !headDone)
                    {
                        return;
                    }
                    if (error != null)
                    {
                        done = true;
                        failed = error;
                    }
                    else if (bodyDecoder.isComplete() && (bodyDecoder.framing() != BodyFraming.UNTIL_CLOSE || inputEnded))
                    {
                        done = true;
                        ended = true;
                        complete = true;
                    }
                    else if (demand > 0 && input != null && inputOffset < inputLimit && !needMore)
                    {
                        final int consumed = bodyDecoder.decode(input, inputOffset, inputLimit - inputOffset);
                        if (consumed == HttpBodyDecoder.ERROR)
                        {
                            done = true;
                            ended = true;
                            failed = new WarrenException(ErrorCode.PROTOCOL_ERROR, description + ": malformed body: " +
                                bodyDecoder.errorReason());
                        }
                        else
                        {
                            inputOffset += consumed;
                            progressed = consumed > 0;
                            if (bodyDecoder.dataLength() > 0)
                            {
                                final byte[] data = new byte[bodyDecoder.dataLength()];
                                input.getBytes(bodyDecoder.dataOffset(), data);
                                next = ByteBuffer.wrap(data);
                                demand--;
                            }
                            else if (consumed == 0 && !bodyDecoder.isComplete())
                            {
                                needMore = true; // a partial chunk line: keep it, wait for more bytes
                            }
                            else if (consumed == 0)
                            {
                                inputOffset = inputLimit; // bytes after a complete body: not ours
                            }
                        }
                    }
                    else if (inputEnded && (input == null || inputOffset >= inputLimit || needMore))
                    {
                        done = true;
                        ended = true;
                        if (bodyDecoder.endOfInput() == HttpBodyDecoder.ERROR)
                        {
                            failed = new WarrenException(ErrorCode.CONNECTION_TERMINATED, description +
                                ": the private host closed the connection mid-body");
                        }
                        else
                        {
                            complete = true;
                        }
                    }
                    else if ((input == null || inputOffset >= inputLimit || needMore) && !awaitingSocket && !inputEnded)
                    {
                        if (!needMore)
                        {
                            input = null;
                        }
                        requestMore = socketSubscription != null;
                        awaitingSocket = requestMore;
                    }
                    if (next == null && !complete && failed == null && !requestMore)
                    {
                        if (progressed)
                        {
                            continue; // framing bytes consumed (a chunk line): decode on
                        }
                        return;
                    }
                    draining = true;
                }
                boolean stop = false;
                try
                {
                    if (failed != null)
                    {
                        stopUpload();
                        socket.abort();
                        target.onError(failed);
                        return;
                    }
                    if (complete)
                    {
                        stopUpload();
                        socket.close();
                        target.onComplete();
                        return;
                    }
                    if (next != null)
                    {
                        target.onNext(next);
                    }
                    if (requestMore)
                    {
                        socketSubscription.request(1);
                        stop = true;
                    }
                }
                finally
                {
                    synchronized (FetchExchange.this)
                    {
                        draining = false;
                        if (missed)
                        {
                            // bytes or demand arrived on another thread while this one delivered: go on
                            missed = false;
                            stop = false;
                        }
                    }
                }
                if (stop)
                {
                    return;
                }
            }
        }
    }

    /** For diagnostics. */
    synchronized String state()
    {
        return "FetchExchange[" + description + " headDone=" + headDone + " awaitingSocket=" + awaitingSocket +
            " input=" + (inputLimit - inputOffset) + " ended=" + ended + " body=" + body + "]";
    }
}
