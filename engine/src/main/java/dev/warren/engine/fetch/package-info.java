/**
 * {@code fetch()}: an HTTP/1.1 exchange carried over a tunnel stream. This first version is a layer above
 * {@code connect()}: the edge encodes the request with the codec's {@link dev.warren.codec.http.HttpHeadEncoder},
 * decodes the response with {@link dev.warren.codec.http.HttpResponseHeadDecoder} and
 * {@link dev.warren.codec.http.HttpBodyDecoder}, and streams the body with the stream's own credit as backpressure.
 * Each request uses its own private-host connection ({@code Connection: close}); connector-side keep-alive pooling
 * and {@code https} come next.
 */
package dev.warren.engine.fetch;
