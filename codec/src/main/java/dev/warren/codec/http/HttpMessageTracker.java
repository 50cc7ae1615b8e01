package dev.warren.codec.http;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Follows one HTTP/1.1 message's framing over bytes that a relay passes on verbatim: says where the message ends, so
 * a keep-alive connection can be handed to the next exchange, and refuses a malformed one, whatever the pieces the
 * bytes arrive in.
 * <p>
 * <b>Use.</b> {@link #track} each piece of input in order. It returns how many of the piece's bytes belong to the
 * message; fewer than given only once {@link #isDone()}: the rest follow the message (and a relay must not pass
 * them on). The head and a chunked body's trailer section must be decoded contiguously: when one is split across
 * pieces, its bytes so far are copied into a carry buffer (at most {@link #MAX_CARRY} bytes) and decoded there; when
 * the head arrives whole, which is the common case, nothing is copied. When the input ends, call
 * {@link #endOfInput()}: a response read until close ends there.
 * <p>
 * <b>Responses</b> skip interim 1xx heads; {@code 101 Switching Protocols} turns the rest of the connection into
 * opaque bytes until close. The request method decides whether a response has a body:
 * {@link #forResponseTo(HttpMethod)}.
 * <p>
 * Owned by one connection on one thread; not thread-safe. Allocates only when a split head or trailer section
 * needs a larger carry buffer, and on error.
 */
public final class HttpMessageTracker
{
    /** Returned by {@link #track} and {@link #endOfInput()} on a malformed or truncated message. */
    public static final int ERROR = -1;
    /** Most bytes held while a head or trailer section is incomplete: above every head limit. */
    public static final int MAX_CARRY = 128 * 1024;

    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;

    private final HttpHeadDecoder head;
    private final HttpResponseHeadDecoder responseHead;
    private final HttpBodyDecoder body;
    private int phase = HEAD;
    private boolean switched;
    private int interimHeads;
    private String errorReason;
    private int errorStatus;

    private byte[] carryBytes = new byte[0];
    private final UnsafeBuffer carry = new UnsafeBuffer(carryBytes);
    private int carryLength;

    private HttpMessageTracker(final HttpHeadDecoder head, final HttpLimits limits)
    {
        this.head = head;
        this.responseHead = head instanceof HttpResponseHeadDecoder ? (HttpResponseHeadDecoder)head : null;
        this.body = new HttpBodyDecoder(limits);
    }

    /** A tracker of requests. */
    public static HttpMessageTracker requests(final HttpLimits limits)
    {
        return new HttpMessageTracker(new HttpRequestHeadDecoder(limits), limits);
    }

    /** A tracker of responses; tell it each request's method with {@link #forResponseTo}. */
    public static HttpMessageTracker responses(final HttpLimits limits)
    {
        return new HttpMessageTracker(new HttpResponseHeadDecoder(limits), limits);
    }

    /** Ready for the next message. */
    public HttpMessageTracker reset()
    {
        head.reset();
        body.reset(BodyFraming.NONE, 0);
        phase = HEAD;
        switched = false;
        interimHeads = 0;
        errorReason = null;
        errorStatus = 0;
        carryLength = 0;
        return this;
    }

    /** Responses only: the method of the request this response answers (HEAD has no response body). */
    public HttpMessageTracker forResponseTo(final HttpMethod method)
    {
        responseHead.requestMethod(method);
        return this;
    }

    /**
     * @return how many of the {@code length} bytes belong to the message (all of them until it is done), or
     * {@link #ERROR}.
     */
    public int track(final DirectBuffer buffer, final int offset, final int length)
    {
        if (phase == FAILED)
        {
            return ERROR;
        }
        if (phase == DONE || length == 0)
        {
            return 0;
        }
        if (carryLength == 0)
        {
            final int used = step(buffer, offset, length);
            if (used == ERROR)
            {
                return ERROR;
            }
            if (phase == DONE)
            {
                return used;
            }
            return keep(buffer, offset + used, length - used) ? length : ERROR;
        }
        final int before = carryLength;
        final int appended = Math.min(length, MAX_CARRY - carryLength);
        ensureCarry(carryLength + appended);
        carry.putBytes(carryLength, buffer, offset, appended);
        carryLength += appended;
        final int used = step(carry, 0, carryLength);
        if (used == ERROR)
        {
            return ERROR;
        }
        if (used < before)
        {
            // still inside what was carried (a head or trailers not yet complete): keep it all
            shift(used);
            if (appended < length)
            {
                return fail(431, "head or trailer section larger than " + MAX_CARRY + " bytes");
            }
            return length;
        }
        final int fromInput = used - before;
        if (phase == DONE)
        {
            carryLength = 0;
            return fromInput;
        }
        if (used < before + appended)
        {
            // stopped inside the new bytes: they are carried now; whatever was not appended follows them
            shift(used);
            if (appended < length)
            {
                return fail(431, "head or trailer section larger than " + MAX_CARRY + " bytes");
            }
            return length;
        }
        carryLength = 0;
        final int more = track(buffer, offset + fromInput, length - fromInput);
        return more == ERROR ? ERROR : fromInput + more;
    }

    /**
     * The input ended (the peer closed).
     *
     * @return 0 when that completes the message (a response read until close), {@link #ERROR} when the message was
     * cut short. Nothing at all received is also an error: see {@link #hasStarted()}.
     */
    public int endOfInput()
    {
        if (phase == DONE)
        {
            return 0;
        }
        if (phase == BODY && body.endOfInput() == 0)
        {
            phase = DONE;
            return 0;
        }
        return fail(400, phase == HEAD ? "input ended inside the head" : "input ended before the body did");
    }

    private int step(final DirectBuffer buffer, final int offset, final int length)
    {
        int at = offset;
        final int end = offset + length;
        while (at < end || (phase == BODY && body.isComplete()))
        {
            if (phase == HEAD)
            {
                final int n = head.decode(buffer, at, end - at);
                if (n == HttpHeadDecoder.ERROR)
                {
                    return fail(head.errorStatus(), head.errorReason());
                }
                if (n == HttpHeadDecoder.NEED_MORE)
                {
                    break;
                }
                at += n;
                if (responseHead != null && responseHead.isInformational())
                {
                    if (responseHead.status() == 101)
                    {
                        switched = true;
                        body.reset(BodyFraming.UNTIL_CLOSE, 0);
                        phase = BODY;
                        continue;
                    }
                    interimHeads++;
                    final HttpMethod method = responseHead.requestMethod();
                    head.reset();
                    responseHead.requestMethod(method);
                    continue;
                }
                body.reset(head);
                phase = BODY;
                continue;
            }
            if (body.isComplete())
            {
                phase = DONE;
                break;
            }
            final int consumed = body.decode(buffer, at, end - at);
            if (consumed == HttpBodyDecoder.ERROR)
            {
                return fail(body.errorStatus(), body.errorReason());
            }
            at += consumed;
            if (consumed == 0 && !body.isComplete())
            {
                break;
            }
        }
        return at - offset;
    }

    /** Carries bytes a head or trailer section has begun with, to decode again when more arrive. */
    private boolean keep(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == 0)
        {
            return true;
        }
        if (length > MAX_CARRY)
        {
            fail(431, "head or trailer section larger than " + MAX_CARRY + " bytes");
            return false;
        }
        ensureCarry(length);
        carry.putBytes(0, buffer, offset, length);
        carryLength = length;
        return true;
    }

    private void shift(final int used)
    {
        if (used > 0)
        {
            carry.putBytes(0, carry, used, carryLength - used);
            carryLength -= used;
        }
    }

    private void ensureCarry(final int capacity)
    {
        if (capacity > carryBytes.length)
        {
            final byte[] grown = new byte[Math.min(MAX_CARRY, Math.max(capacity, Math.max(1024, carryBytes.length * 2)))];
            System.arraycopy(carryBytes, 0, grown, 0, carryLength);
            carryBytes = grown;
            carry.wrap(carryBytes);
        }
    }

    private int fail(final int status, final String reason)
    {
        phase = FAILED;
        errorStatus = status;
        errorReason = reason;
        return ERROR;
    }

    // ---- accessors ----

    /** The head is complete (for a response: the final, non-1xx head, or a 101). */
    public boolean isHeadDone()
    {
        return phase == BODY || phase == DONE;
    }

    /** The whole message has been seen. */
    public boolean isDone()
    {
        return phase == DONE;
    }

    /** At least one byte of the message was seen. */
    public boolean hasStarted()
    {
        return phase != HEAD || carryLength > 0 || interimHeads > 0;
    }

    /** The head decoder, valid once {@link #isHeadDone()} (and while the head's bytes are untouched). */
    public HttpHeadDecoder head()
    {
        return head;
    }

    /**
     * Once done: the connection may carry another message after this one (both the message's version and its
     * Connection field allow it, its body was not read until close, and it did not switch protocols).
     */
    public boolean isKeepAlive()
    {
        return phase == DONE && !switched && head.isKeepAlive();
    }

    /** A 101 switched the connection to another protocol. */
    public boolean isSwitched()
    {
        return switched;
    }

    /** After {@link #ERROR}: the HTTP status class of the fault (400, 431, 501, ...). */
    public int errorStatus()
    {
        return errorStatus;
    }

    public String errorReason()
    {
        return errorReason;
    }
}
