package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import static dev.warren.codec.tunnel.FrameHeader.LENGTH;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Finds whole frames in a buffer, checks their shape (PROTOCOL.md §1) and hands them to a {@link FrameHandler}.
 * <p>
 * Incremental: {@link #decode} consumes every complete frame and reports how many bytes it used; the caller
 * keeps the rest and calls again when more has arrived. A frame's header is checked before its payload is
 * awaited, so an announced oversized payload is refused at once rather than buffered. Garbage-free for
 * DATA, WINDOW_UPDATE and PING.
 * <p>
 * Owned by one connection on one thread; not thread-safe.
 */
public final class FrameDecoder
{
    /** Returned by {@link #decode} when the bytes broke the protocol; see {@link #errorCode()}. */
    public static final int ERROR = -1;

    /** Largest frame accepted before the handshake is done. */
    public static final int HANDSHAKE_MAX_PAYLOAD = 1024;

    private final OpenDecoder openDecoder = new OpenDecoder();
    private final OpenAckDecoder openAckDecoder = new OpenAckDecoder();
    private final ResetDecoder resetDecoder = new ResetDecoder();
    private final GoAwayDecoder goAwayDecoder = new GoAwayDecoder();
    private final HandshakeDecoder handshakeDecoder = new HandshakeDecoder();

    private int maxFramePayload = HANDSHAKE_MAX_PAYLOAD;
    private int errorCode;
    private String errorReason = "";

    /** The largest payload this side accepts: what it announced in the handshake. */
    public FrameDecoder maxFramePayload(final int maxFramePayload)
    {
        this.maxFramePayload = maxFramePayload;
        return this;
    }

    public int maxFramePayload()
    {
        return maxFramePayload;
    }

    /** After {@link #ERROR}: the {@link WireCode}. */
    public int errorCode()
    {
        return errorCode;
    }

    /** After {@link #ERROR}: why, for the log and the GO_AWAY message. */
    public String errorReason()
    {
        return errorReason;
    }

    /**
     * @return bytes consumed from {@code offset} (whole frames only), or {@link #ERROR}.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length, final FrameHandler handler)
    {
        int at = offset;
        final int limit = offset + length;
        while (limit - at >= LENGTH)
        {
            final int version = FrameHeader.version(buffer, at) & 0xFF;
            final int type = FrameHeader.type(buffer, at) & 0xFF;
            final int flags = FrameHeader.flags(buffer, at);
            final int streamId = FrameHeader.streamId(buffer, at);
            final long lengthField = FrameHeader.length(buffer, at);

            if (version != FrameHeader.VERSION)
            {
                return error(WireCode.PROTOCOL_ERROR, "unsupported frame version " + version);
            }

            int payloadLength = 0;
            if (type == FrameHeader.TYPE_WINDOW_UPDATE)
            {
                if (lengthField == 0 || lengthField > FrameHeader.MAX_WINDOW)
                {
                    return error(WireCode.PROTOCOL_ERROR, "window update credit out of range: " + lengthField);
                }
            }
            else
            {
                if (lengthField > maxFramePayload)
                {
                    return error(WireCode.PROTOCOL_ERROR, FrameHeader.typeName(type) + " payload " + lengthField +
                        " exceeds the limit " + maxFramePayload);
                }
                payloadLength = (int)lengthField;
            }

            final String streamIdProblem = checkStreamId(type, streamId);
            if (streamIdProblem != null)
            {
                return error(WireCode.PROTOCOL_ERROR, streamIdProblem);
            }

            if (limit - at - LENGTH < payloadLength)
            {
                break;
            }

            final int payload = at + LENGTH;
            final int result = dispatch(type, flags, streamId, lengthField, buffer, payload, payloadLength, handler);
            if (result > 0)
            {
                return error(result, errorReason != null ? errorReason :
                    FrameHeader.typeName(type) + " on stream " + streamId + " refused: " + WireCode.name(result));
            }
            if (result < FrameHandler.STOP)
            {
                return error(WireCode.PROTOCOL_ERROR, "handler returned an undefined result " + result);
            }
            at = payload + payloadLength;
            if (result == FrameHandler.STOP)
            {
                break;
            }
        }
        return at - offset;
    }

    /** Lets a handler say why it refused a frame before it returns the error code. */
    public void reason(final String reason)
    {
        errorReason = reason;
    }

    private int dispatch(
        final int type, final int flags, final int streamId, final long lengthField, final DirectBuffer buffer,
        final int payload, final int payloadLength, final FrameHandler handler)
    {
        errorReason = null;
        switch (type)
        {
            case FrameHeader.TYPE_DATA:
                return handler.onData(streamId, flags, buffer, payload, payloadLength);

            case FrameHeader.TYPE_WINDOW_UPDATE:
                return handler.onWindowUpdate(streamId, (int)lengthField);

            case FrameHeader.TYPE_PING:
                if (payloadLength != 8)
                {
                    return malformed(type);
                }
                return handler.onPing((flags & FrameHeader.FLAG_ACK) != 0, buffer.getLong(payload, LITTLE_ENDIAN));

            case FrameHeader.TYPE_OPEN:
                return openDecoder.wrap(buffer, payload, payloadLength) ?
                    handler.onOpen(streamId, openDecoder) : malformed(type);

            case FrameHeader.TYPE_OPEN_ACK:
                return openAckDecoder.wrap(buffer, payload, payloadLength) ?
                    handler.onOpenAck(streamId, openAckDecoder) : malformed(type);

            case FrameHeader.TYPE_RESET:
                return resetDecoder.wrap(buffer, payload, payloadLength) ?
                    handler.onReset(streamId, resetDecoder) : malformed(type);

            case FrameHeader.TYPE_GO_AWAY:
                return goAwayDecoder.wrap(buffer, payload, payloadLength) ?
                    handler.onGoAway(goAwayDecoder) : malformed(type);

            case FrameHeader.TYPE_HELLO:
            case FrameHeader.TYPE_CHALLENGE:
            case FrameHeader.TYPE_AUTH:
            case FrameHeader.TYPE_WELCOME:
                return handshakeDecoder.wrap(type, buffer, payload, payloadLength) ?
                    handler.onHandshake(handshakeDecoder) : malformed(type);

            default:
                throw new IllegalStateException("unreachable: type " + type + " was checked in checkStreamId");
        }
    }

    private int malformed(final int type)
    {
        errorReason = "malformed " + FrameHeader.typeName(type) + " payload";
        return WireCode.PROTOCOL_ERROR;
    }

    private static String checkStreamId(final int type, final int streamId)
    {
        switch (type)
        {
            case FrameHeader.TYPE_DATA:
            case FrameHeader.TYPE_OPEN:
            case FrameHeader.TYPE_OPEN_ACK:
            case FrameHeader.TYPE_RESET:
                return streamId == 0 ? FrameHeader.typeName(type) + " on stream 0" : null;
            case FrameHeader.TYPE_WINDOW_UPDATE:
                return null;
            case FrameHeader.TYPE_PING:
            case FrameHeader.TYPE_GO_AWAY:
            case FrameHeader.TYPE_HELLO:
            case FrameHeader.TYPE_CHALLENGE:
            case FrameHeader.TYPE_AUTH:
            case FrameHeader.TYPE_WELCOME:
                return streamId != 0 ? FrameHeader.typeName(type) + " on stream " + streamId : null;
            default:
                return "unknown frame type " + type;
        }
    }

    private int error(final int code, final String reason)
    {
        errorCode = code;
        errorReason = reason;
        return ERROR;
    }
}
