/**
 * HTTP/1.1 (RFC 9112) as incremental, garbage-free decoders and encoders over Agrona buffers.
 * <p>
 * What is here, and the contract they share:
 * <ul>
 *     <li>{@link dev.warren.codec.http.HttpRequestHeadDecoder} and {@link dev.warren.codec.http.HttpResponseHeadDecoder}
 *     parse a message head and decide how its body is framed ({@link dev.warren.codec.http.BodyFraming}, RFC 9112 §6).
 *     They record offsets, never copies: a header is a pair of (offset, length) in the caller's buffer, found by
 *     {@link dev.warren.codec.http.HttpHeaderName} without allocating, turned into a {@code String} only on request.</li>
 *     <li>{@link dev.warren.codec.http.HttpBodyDecoder} (and the {@link dev.warren.codec.http.HttpChunkedDecoder} it
 *     uses) hands out the body as slices of the caller's buffer, whatever the framing.</li>
 *     <li>{@link dev.warren.codec.http.HttpHeadEncoder} and {@link dev.warren.codec.http.HttpChunkEncoder} write heads,
 *     chunk headers and trailers in place.</li>
 * </ul>
 * Every decoder is resumable: the bytes of a message may arrive in any number of pieces, down to one byte at a time,
 * and the outcome (fields, body, trailers, or the error with its status and reason) is the same as when they arrive
 * at once. Decoding is strict (SPEC §7): every request smuggling shape, bare CR or LF, whitespace before a colon,
 * obsolete line folding, invalid token characters and malformed chunk sizes are decode errors, each with the HTTP
 * status a server answers it with (400, 414, 431, 501, 505), and every size has a limit ({@link
 * dev.warren.codec.http.HttpLimits}). Errors are values: no decoder throws on bad input.
 * <p>
 * Nothing here owns a socket, a thread or a clock. Each decoder and encoder instance belongs to one connection on one
 * thread; none is thread-safe. The constants and the value types ({@link dev.warren.codec.http.HttpLimits}, {@link
 * dev.warren.codec.http.HttpHeaderName}, the enums) are immutable and shared freely.
 */
package dev.warren.codec.http;
