/**
 * The tunnel protocol of {@code docs/PROTOCOL.md} as flyweight encoders and decoders over Agrona buffers.
 * <p>
 * Nothing here owns a socket, a thread or a clock: every class is a pure function of the bytes it is given,
 * so the same code runs in the engine, in the JMH suite and under property-based tests.
 */
package dev.warren.codec.tunnel;
