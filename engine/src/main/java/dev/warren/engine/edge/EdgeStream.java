package dev.warren.engine.edge;

/**
 * What the edge needs from a stream it opens: told when its OPEN is on its way, when it could not be sent, and when
 * the connector acknowledged it. Implemented by {@link CallerStream} (an embedder's socket) and
 * {@link FrontDoorStream} (a front-door client's socket). Called on the stream's event loop only.
 */
interface EdgeStream
{
    /** OPEN is queued: data may follow. */
    void onOpenSent();

    /** The stream never reached the tunnel. */
    void failBeforeOpen(int wireCode, String reason);

    /**
     * @param ack the OPEN_ACK, valid during the call; its addresses are decoded (allocating) only by streams that
     *            show them.
     * @return false when the stream was acknowledged already (a protocol error).
     */
    boolean onOpenAck(dev.warren.codec.tunnel.OpenAckDecoder ack);
}
