package dev.warren.codec.http;

import dev.warren.codec.support.FencedBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads one message, head then body, from bytes that arrive in pieces, as a connection does: each piece is appended
 * after the bytes not yet consumed, every read goes through a {@link FencedBuffer} fenced to exactly those bytes, and
 * (when compacting) the unconsumed bytes move to the front of the buffer between pieces, so the decoders see a head
 * that moves. The whole {@link Outcome} is recorded, so that two ways of feeding the same bytes can be compared.
 */
final class MessageReader
{
    enum Kind
    {
        REQUEST,
        RESPONSE
    }

    /**
     * What a message decoded to. {@code headError} is 0 when the head was complete, -1 when the input ended inside it.
     * {@code consumed} counts the bytes of the message; after a body error, how many were consumed before it depends
     * on the pieces (a chunk-size line is consumed as it is parsed), so it is -1 then.
     */
    record Outcome(
        int headError,
        String headReason,
        String startLine,
        List<String> headers,
        BodyFraming framing,
        long contentLength,
        boolean keepAlive,
        boolean expectContinue,
        int headLength,
        String body,
        List<String> trailers,
        boolean bodyComplete,
        int bodyError,
        String bodyReason,
        int consumed)
    {
        boolean headComplete()
        {
            return headError == 0;
        }
    }

    private MessageReader()
    {
    }

    static Outcome inOneRead(
        final byte[] wire, final Kind kind, final HttpMethod requestMethod, final HttpLimits limits)
    {
        return read(wire, kind, requestMethod, limits, () -> Math.max(1, wire.length), false);
    }

    static Outcome byteByByte(
        final byte[] wire, final Kind kind, final HttpMethod requestMethod, final HttpLimits limits)
    {
        return read(wire, kind, requestMethod, limits, () -> 1, false);
    }

    /**
     * @param pieceSizes the size of each next piece (at least 1).
     * @param compact    move the unconsumed bytes to the front of the buffer after each piece.
     */
    static Outcome read(
        final byte[] wire, final Kind kind, final HttpMethod requestMethod, final HttpLimits limits,
        final IntSupplier pieceSizes, final boolean compact)
    {
        final HttpHeadDecoder head = kind == Kind.REQUEST ?
            new HttpRequestHeadDecoder(limits) : new HttpResponseHeadDecoder(limits).requestMethod(requestMethod);
        final HttpBodyDecoder body = new HttpBodyDecoder(limits);
        final byte[] received = new byte[wire.length];
        final FencedBuffer buffer = new FencedBuffer(received, 0, 0);
        final ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();

        Outcome outcome = null;
        boolean inHead = true;
        int arrived = 0;
        int consumed = 0;
        int start = 0;
        int end = 0;
        while (arrived < wire.length && (outcome == null || !outcome.bodyComplete()))
        {
            final int size = Math.min(Math.max(1, pieceSizes.getAsInt()), wire.length - arrived);
            System.arraycopy(wire, arrived, received, end, size);
            arrived += size;
            end += size;
            buffer.fence(start, end);

            if (inHead)
            {
                final int result = head.decode(buffer, start, end - start);
                if (result == HttpHeadDecoder.ERROR)
                {
                    assertTrue(head.errorStatus() >= 400 && head.errorStatus() <= 505, "status " + head.errorStatus());
                    assertNotNull(head.errorReason());
                    return new Outcome(head.errorStatus(), head.errorReason(), null, List.of(), null, -1, false, false,
                        0, "", List.of(), false, 0, null, consumed);
                }
                if (result > 0)
                {
                    assertTrue(result <= end - start, "head of " + result + " within the " + (end - start) + " given");
                    outcome = headOutcome(head, result);
                    start += result;
                    consumed += result;
                    inHead = false;
                    body.reset(head);
                    if (body.isComplete())
                    {
                        outcome = finish(outcome, bodyBytes, body, consumed);
                    }
                }
            }
            if (!inHead && !outcome.bodyComplete())
            {
                while (true)
                {
                    buffer.fence(start, end);
                    final int result = body.decode(buffer, start, end - start);
                    if (result == HttpBodyDecoder.ERROR)
                    {
                        return bodyFailed(outcome, bodyBytes, body, consumed);
                    }
                    assertTrue(result >= 0 && result <= end - start, "consumed " + result + " of " + (end - start));
                    if (body.dataLength() > 0)
                    {
                        assertTrue(body.dataOffset() >= start &&
                            body.dataOffset() + body.dataLength() <= start + result, "the data was consumed");
                        final byte[] data = new byte[body.dataLength()];
                        buffer.getBytes(body.dataOffset(), data);
                        bodyBytes.writeBytes(data);
                    }
                    start += result;
                    consumed += result;
                    if (body.isComplete())
                    {
                        outcome = finish(outcome, bodyBytes, body, consumed);
                        break;
                    }
                    if (result == 0)
                    {
                        assertEquals(0, body.dataLength());
                        break;
                    }
                }
            }
            if (compact)
            {
                System.arraycopy(received, start, received, 0, end - start);
                end -= start;
                start = 0;
            }
        }

        if (inHead)
        {
            return new Outcome(-1, "input ended inside the head", null, List.of(), null, -1, false, false, 0, "",
                List.of(), false, 0, null, consumed);
        }
        if (!outcome.bodyComplete())
        {
            if (body.endOfInput() == HttpBodyDecoder.ERROR)
            {
                return bodyFailed(outcome, bodyBytes, body, consumed);
            }
            outcome = finish(outcome, bodyBytes, body, consumed);
        }
        return outcome;
    }

    private static Outcome headOutcome(final HttpHeadDecoder head, final int headLength)
    {
        final String startLine;
        boolean expectContinue = false;
        if (head instanceof HttpRequestHeadDecoder request)
        {
            startLine = request.methodAsString() + " " + request.method() + " " + request.targetAsString() + " " +
                request.version();
            expectContinue = request.isExpectContinue();
            assertEquals(request.hostIndex(), request.headers().indexOf(HttpHeaderName.HOST));
        }
        else
        {
            final HttpResponseHeadDecoder response = (HttpResponseHeadDecoder)head;
            startLine = response.version() + " " + response.status() + " " + response.reasonAsString();
        }
        final BodyFraming framing = head.framing();
        assertNotNull(framing);
        assertEquals(framing == BodyFraming.CONTENT_LENGTH, head.contentLength() >= 0);
        return new Outcome(0, null, startLine, fields(head.headers()), framing, head.contentLength(),
            head.isKeepAlive(), expectContinue, headLength, "", List.of(), false, 0, null, 0);
    }

    private static List<String> fields(final HttpFieldsDecoder fields)
    {
        final List<String> list = new ArrayList<>(fields.count());
        for (int i = 0; i < fields.count(); i++)
        {
            list.add(fields.nameAsString(i) + ": " + fields.valueAsString(i));
        }
        return list;
    }

    private static Outcome finish(
        final Outcome head, final ByteArrayOutputStream body, final HttpBodyDecoder decoder, final int consumed)
    {
        assertTrue(decoder.isComplete());
        final List<String> trailers = decoder.framing() == BodyFraming.CHUNKED ? fields(decoder.trailers()) : List.of();
        return new Outcome(head.headError(), head.headReason(), head.startLine(), head.headers(), head.framing(),
            head.contentLength(), head.keepAlive(), head.expectContinue(), head.headLength(),
            body.toString(StandardCharsets.ISO_8859_1), trailers, true, 0, null, consumed);
    }

    private static Outcome bodyFailed(
        final Outcome head, final ByteArrayOutputStream body, final HttpBodyDecoder decoder, final int consumed)
    {
        assertFalse(decoder.isComplete());
        assertTrue(decoder.errorStatus() == 400 || decoder.errorStatus() == 431, "status " + decoder.errorStatus());
        assertNotNull(decoder.errorReason());
        return new Outcome(head.headError(), head.headReason(), head.startLine(), head.headers(), head.framing(),
            head.contentLength(), head.keepAlive(), head.expectContinue(), head.headLength(),
            body.toString(StandardCharsets.ISO_8859_1), List.of(), false, decoder.errorStatus(),
            decoder.errorReason(), -1);
    }
}
