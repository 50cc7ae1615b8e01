package dev.warren.bench;

import dev.warren.codec.http.BodyFraming;
import dev.warren.codec.http.HttpChunkEncoder;
import dev.warren.codec.http.HttpChunkedDecoder;
import dev.warren.codec.http.HttpHeadEncoder;
import dev.warren.codec.http.HttpHeaderName;
import dev.warren.codec.http.HttpMethod;
import dev.warren.codec.http.HttpRequestHeadDecoder;
import dev.warren.codec.http.HttpResponseHeadDecoder;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 codec alone ({@code dev.warren.codec.http}): parsing and encoding a typical browser request head and
 * a typical response head, and decoding a chunked body. Each parse benchmark also reads what a proxy reads next (the
 * Host field, the framing), so the work of finding headers is counted. All inputs sit in direct buffers, as socket
 * reads leave them. Expected to allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpCodecBenchmark
{
    /** A Firefox navigation: request line and 8 fields, 448 bytes. */
    static final String REQUEST_HEAD =
        "GET /products/widgets/blue-widget-2000?ref=homepage&utm_source=newsletter HTTP/1.1\r\n" +
        "Host: shop.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
        "Accept-Language: en-US,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Connection: keep-alive\r\n" +
        "Cookie: session=4f2a9c81e0b7d3; theme=dark; cart=3\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "\r\n";

    /** A static-file response: status line and 8 fields, 248 bytes. */
    static final String RESPONSE_HEAD =
        "HTTP/1.1 200 OK\r\n" +
        "Date: Fri, 27 Nov 2026 10:15:42 GMT\r\n" +
        "Server: nginx/1.27.3\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Length: 48213\r\n" +
        "Cache-Control: public, max-age=3600\r\n" +
        "ETag: \"5f3e2a1b-bc55\"\r\n" +
        "Vary: Accept-Encoding\r\n" +
        "Connection: keep-alive\r\n" +
        "\r\n";

    /** Bytes of the chunked body's data. */
    public static final int BODY_LENGTH = 64 * 1024;
    /** Bytes of each chunk. */
    public static final int CHUNK_LENGTH = 4 * 1024;

    private static final HttpHeaderName UPGRADE_INSECURE_REQUESTS = HttpHeaderName.of("Upgrade-Insecure-Requests");
    private static final HttpHeaderName ACCEPT_LANGUAGE = HttpHeaderName.of("Accept-Language");
    private static final HttpHeaderName ACCEPT_ENCODING = HttpHeaderName.of("Accept-Encoding");
    private static final HttpHeaderName CACHE_CONTROL = HttpHeaderName.of("Cache-Control");
    private static final HttpHeaderName ETAG = HttpHeaderName.of("ETag");
    private static final HttpHeaderName VARY = HttpHeaderName.of("Vary");

    private final HttpRequestHeadDecoder requestDecoder = new HttpRequestHeadDecoder();
    private final HttpResponseHeadDecoder responseDecoder = new HttpResponseHeadDecoder();
    private final HttpChunkedDecoder chunkedDecoder = new HttpChunkedDecoder();
    private final HttpHeadEncoder encoder = new HttpHeadEncoder();
    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(1024, 64));

    UnsafeBuffer requestHead;
    UnsafeBuffer responseHead;
    UnsafeBuffer chunkedBody;
    int chunkedBodyLength;

    // Read from fields, not constants, so the JIT cannot fold the encoders' work away.
    private String target = "/products/widgets/blue-widget-2000?ref=homepage&utm_source=newsletter";
    private String host = "shop.example.com";
    private String userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private String accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private String acceptLanguage = "en-US,en;q=0.5";
    private String acceptEncoding = "gzip, deflate, br, zstd";
    private String connection = "keep-alive";
    private String cookie = "session=4f2a9c81e0b7d3; theme=dark; cart=3";
    private String upgrade = "1";
    private int status = 200;
    private String date = "Fri, 27 Nov 2026 10:15:42 GMT";
    private String server = "nginx/1.27.3";
    private String contentType = "text/html; charset=utf-8";
    private long contentLength = 48213;
    private String cacheControl = "public, max-age=3600";
    private String etag = "\"5f3e2a1b-bc55\"";
    private String vary = "Accept-Encoding";

    @Setup
    public void setUp()
    {
        requestHead = direct(REQUEST_HEAD.getBytes(StandardCharsets.US_ASCII));
        responseHead = direct(RESPONSE_HEAD.getBytes(StandardCharsets.US_ASCII));

        final int chunks = BODY_LENGTH / CHUNK_LENGTH;
        chunkedBody = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.align(BODY_LENGTH + chunks * (HttpChunkEncoder.MAX_CHUNK_HEADER_LENGTH + 2) + 64, 64), 64));
        final Random random = new Random(0x5EED_4777L);
        int at = 0;
        for (int i = 0; i < chunks; i++)
        {
            at += HttpChunkEncoder.chunkHeader(chunkedBody, at, CHUNK_LENGTH);
            for (int j = 0; j < CHUNK_LENGTH; j++)
            {
                chunkedBody.putByte(at++, (byte)random.nextInt());
            }
            at += HttpChunkEncoder.chunkEnd(chunkedBody, at);
        }
        at += HttpChunkEncoder.lastChunk(chunkedBody, at);
        chunkedBodyLength = at;
    }

    /** Parses the request head, then finds Host and reads the framing: what a front door does first. */
    @Benchmark
    public int parseRequestHead()
    {
        final HttpRequestHeadDecoder decoder = requestDecoder;
        decoder.reset();
        final int length = decoder.decode(requestHead, 0, requestHead.capacity());
        if (length <= 0 || decoder.framing() != BodyFraming.NONE)
        {
            throw new IllegalStateException("request head: " + decoder.errorReason());
        }
        return length + decoder.headers().valueLength(decoder.hostIndex()) + (decoder.isKeepAlive() ? 1 : 0);
    }

    /** Parses the response head and reads its framing. */
    @Benchmark
    public long parseResponseHead()
    {
        final HttpResponseHeadDecoder decoder = responseDecoder;
        decoder.reset();
        final int length = decoder.decode(responseHead, 0, responseHead.capacity());
        if (length <= 0)
        {
            throw new IllegalStateException("response head: " + decoder.errorReason());
        }
        return length + decoder.contentLength() + decoder.status();
    }

    /** Writes the same request head from its parts. */
    @Benchmark
    public int encodeRequestHead()
    {
        return encoder.wrap(encodeBuffer, 0, encodeBuffer.capacity())
            .requestLine(HttpMethod.GET, target)
            .header(HttpHeaderName.HOST, host)
            .header(HttpHeaderName.USER_AGENT, userAgent)
            .header(HttpHeaderName.ACCEPT, accept)
            .header(ACCEPT_LANGUAGE, acceptLanguage)
            .header(ACCEPT_ENCODING, acceptEncoding)
            .header(HttpHeaderName.CONNECTION, connection)
            .header(HttpHeaderName.COOKIE, cookie)
            .header(UPGRADE_INSECURE_REQUESTS, upgrade)
            .end();
    }

    /** Writes the same response head from its parts. */
    @Benchmark
    public int encodeResponseHead()
    {
        return encoder.wrap(encodeBuffer, 0, encodeBuffer.capacity())
            .statusLine(status)
            .header(HttpHeaderName.DATE, date)
            .header(HttpHeaderName.SERVER, server)
            .header(HttpHeaderName.CONTENT_TYPE, contentType)
            .contentLength(contentLength)
            .header(CACHE_CONTROL, cacheControl)
            .header(ETAG, etag)
            .header(VARY, vary)
            .header(HttpHeaderName.CONNECTION, connection)
            .end();
    }

    /**
     * Decodes a {@value #BODY_LENGTH}-byte body in {@value #CHUNK_LENGTH}-byte chunks, all received; the data is
     * handed out in place and summed by length. Score per body.
     */
    @Benchmark
    public long decodeChunkedBody()
    {
        return decodeChunked(chunkedBody, chunkedBodyLength);
    }

    private long decodeChunked(final DirectBuffer buffer, final int length)
    {
        final HttpChunkedDecoder decoder = chunkedDecoder;
        decoder.reset();
        long data = 0;
        int at = 0;
        while (!decoder.isComplete())
        {
            final int consumed = decoder.decode(buffer, at, length - at);
            if (consumed <= 0)
            {
                throw new IllegalStateException("chunked body: " + decoder.errorReason());
            }
            data += decoder.dataLength();
            at += consumed;
        }
        return data;
    }

    private static UnsafeBuffer direct(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.align(bytes.length, 64),
            64), 0, bytes.length);
        buffer.putBytes(0, bytes);
        return buffer;
    }
}
