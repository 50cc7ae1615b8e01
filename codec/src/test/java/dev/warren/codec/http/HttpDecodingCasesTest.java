package dev.warren.codec.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.warren.codec.http.BodyFraming.CHUNKED;
import static dev.warren.codec.http.BodyFraming.NONE;
import static dev.warren.codec.http.BodyFraming.UNTIL_CLOSE;
import static dev.warren.codec.http.HttpCase.get;
import static dev.warren.codec.http.HttpCase.head;
import static dev.warren.codec.http.HttpCase.request;
import static dev.warren.codec.http.HttpCase.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table: valid and invalid requests and responses, head and body, each decoded in one read, byte by byte, at
 * every split into two pieces (up to {@value #EXHAUSTIVE_SPLIT_MAX} bytes), and at random splits with the unconsumed
 * bytes moved between reads; every way must give the same {@link MessageReader.Outcome}, and that outcome what the
 * row says. Every request smuggling shape of SPEC §7 has rows: both Content-Length and Transfer-Encoding, duplicate
 * differing Content-Length, bad chunk sizes, bare CR and bare LF, space before the colon, obsolete line folding.
 */
class HttpDecodingCasesTest
{
    static final int EXHAUSTIVE_SPLIT_MAX = 1024;
    private static final int RANDOM_SPLITS = 4;

    /** Small limits, to reach each one exactly and by one byte more. */
    static final HttpLimits SMALL = new HttpLimits(32, 64, 4, 8, 32, 1024);

    private static final String CHUNKED_FIELD = "Transfer-Encoding: chunked";

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldDecodeTheSameWhateverPiecesTheBytesArriveIn(final HttpCase row)
    {
        final MessageReader.Outcome once = MessageReader.inOneRead(row.wire, row.kind, row.requestMethod, row.limits);
        row.check(once);

        assertEquals(once, MessageReader.byteByByte(row.wire, row.kind, row.requestMethod, row.limits), "byte by byte");

        if (row.wire.length <= EXHAUSTIVE_SPLIT_MAX)
        {
            for (int split = 1; split < row.wire.length; split++)
            {
                final int[] pieces = {split, row.wire.length - split};
                final int[] next = {0};
                assertEquals(once, MessageReader.read(row.wire, row.kind, row.requestMethod, row.limits,
                    () -> pieces[next[0]++], split % 2 == 0), "split at " + split);
            }
        }

        final Random random = new Random(row.name.hashCode());
        for (int i = 0; i < RANDOM_SPLITS; i++)
        {
            final int bound = 1 + random.nextInt(Math.max(1, row.wire.length / 2));
            final long seed = random.nextLong();
            final Random pieces = new Random(seed);
            assertEquals(once, MessageReader.read(row.wire, row.kind, row.requestMethod, row.limits,
                () -> 1 + pieces.nextInt(bound), (i & 1) == 0), "random pieces up to " + bound + ", seed " + seed);
        }
    }

    @Test
    void shouldHaveAtLeast150DistinctRowsAndEverySmugglingShape()
    {
        final List<HttpCase> cases = cases();
        final Set<String> names = new HashSet<>();
        for (final HttpCase row : cases)
        {
            assertTrue(names.add(row.toString()), "duplicate row name " + row);
        }
        assertTrue(cases.size() >= 150, cases.size() + " rows");
        for (final String shape : new String[]{
            "smuggling: CL+TE", "smuggling: differing CL", "smuggling: bad chunk size", "smuggling: bare CR",
            "smuggling: bare LF", "smuggling: space before colon", "smuggling: obs-fold"})
        {
            assertTrue(names.stream().anyMatch(name -> name.contains(shape)), shape);
        }
    }

    static List<HttpCase> cases()
    {
        final List<HttpCase> rows = new ArrayList<>();
        validRequests(rows);
        smuggling(rows);
        malformedRequests(rows);
        limits(rows);
        chunkedBodies(rows);
        validResponses(rows);
        invalidResponses(rows);
        return rows;
    }

    private static void validRequests(final List<HttpCase> rows)
    {
        rows.add(request("minimal GET", get("Host: a"))
            .framed(NONE).keepAlive(true).expectContinue(false).startLine("GET GET / HTTP_1_1").headers("Host: a"));
        rows.add(request("HTTP/1.0 without Host", head("GET / HTTP/1.0"))
            .framed(NONE).keepAlive(false).startLine("GET GET / HTTP_1_0").headers());
        rows.add(request("HTTP/1.0 with Host", head("GET / HTTP/1.0", "Host: a")).framed(NONE).keepAlive(false));
        rows.add(request("HTTP/1.0 keep-alive", head("GET / HTTP/1.0", "Connection: keep-alive")).keepAlive(true));
        rows.add(request("HTTP/1.0 Keep-Alive in capitals", head("GET / HTTP/1.0", "Connection: Keep-Alive"))
            .keepAlive(true));
        rows.add(request("HTTP/1.0 keep-alive then close", head("GET / HTTP/1.0", "Connection: keep-alive, close"))
            .keepAlive(false));
        rows.add(request("HTTP/1.1 Connection: close", get("Host: a", "Connection: close")).keepAlive(false));
        rows.add(request("HTTP/1.1 Connection: CLOSE", get("Host: a", "Connection: CLOSE")).keepAlive(false));
        rows.add(request("HTTP/1.1 close among other tokens", get("Host: a", "Connection: Upgrade , close"))
            .keepAlive(false));
        rows.add(request("HTTP/1.1 close in a second Connection field",
            get("Host: a", "Connection: Upgrade", "connection: close")).keepAlive(false));
        rows.add(request("HTTP/1.1 keep-alive token", get("Host: a", "Connection: keep-alive")).keepAlive(true));
        rows.add(request("HTTP/1.1 'closed' is not close", get("Host: a", "Connection: closed")).keepAlive(true));
        rows.add(request("POST with Content-Length", head("POST /f HTTP/1.1", "Host: a", "Content-Length: 5") + "hello")
            .contentLength(5).body("hello").startLine("POST POST /f HTTP_1_1"));
        rows.add(request("POST with Content-Length 0", head("POST / HTTP/1.1", "Host: a", "Content-Length: 0"))
            .contentLength(0).body(""));
        rows.add(request("Content-Length with leading zeros",
            head("PUT / HTTP/1.1", "Host: a", "Content-Length: 005") + "hello").contentLength(5).body("hello"));
        rows.add(request("identical Content-Length fields",
            head("PUT / HTTP/1.1", "Host: a", "Content-Length: 5", "Content-Length: 5") + "hello")
            .contentLength(5).body("hello"));
        rows.add(request("identical Content-Length list", head("PUT / HTTP/1.1", "Host: a", "Content-Length: 5, 5") +
            "hello").contentLength(5).body("hello"));
        rows.add(request("Content-Length with optional whitespace",
            head("PUT / HTTP/1.1", "Host: a", "Content-Length: \t 5 \t") + "hello").contentLength(5).body("hello"));
        rows.add(request("Content-Length with 18 digits",
            head("PUT / HTTP/1.1", "Host: a", "Content-Length: 000000000000000003") + "abc").contentLength(3));
        rows.add(request("Content-Length body and a pipelined request",
            head("POST / HTTP/1.1", "Host: a", "Content-Length: 2") + "hi" + get("Host: a"))
            .contentLength(2).body("hi").leftover(get("Host: a").length()));
        rows.add(request("pipelined GET", get("Host: a") + get("Host: b")).framed(NONE)
            .headers("Host: a").leftover(get("Host: b").length()));
        rows.add(request("chunked body", head("POST / HTTP/1.1", "Host: a", CHUNKED_FIELD) + "5\r\nhello\r\n0\r\n\r\n")
            .framed(CHUNKED).body("hello").trailers());
        rows.add(request("Transfer-Encoding: Chunked in capitals",
            head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: CHUNKED") + "0\r\n\r\n").framed(CHUNKED).body(""));
        rows.add(request("Transfer-Encoding with optional whitespace",
            head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: \tchunked ") + "0\r\n\r\n").framed(CHUNKED));
        rows.add(request("chunked body and a pipelined request",
            head("POST / HTTP/1.1", "Host: a", CHUNKED_FIELD) + "2\r\nhi\r\n0\r\n\r\n" + get("Host: a"))
            .framed(CHUNKED).body("hi").leftover(get("Host: a").length()));
        rows.add(request("Expect: 100-continue", head("PUT / HTTP/1.1", "Host: a", "Expect: 100-continue",
            "Content-Length: 1") + "x").expectContinue(true).contentLength(1).body("x"));
        rows.add(request("Expect: 100-Continue in capitals", get("Host: a", "Expect: 100-CONTINUE"))
            .expectContinue(true));
        rows.add(request("Expect: 100-continue ignored in HTTP/1.0", head("GET / HTTP/1.0", "Expect: 100-continue"))
            .expectContinue(false));
        rows.add(request("Expect: other expectation", get("Host: a", "Expect: 200-ok")).expectContinue(false));
        rows.add(request("empty line before the request line", "\r\n" + get("Host: a")).framed(NONE)
            .startLine("GET GET / HTTP_1_1"));
        rows.add(request("two empty lines before the request line", "\r\n\r\n" + get("Host: a")).framed(NONE));
        rows.add(request("OPTIONS *", head("OPTIONS * HTTP/1.1", "Host: a")).startLine("OPTIONS OPTIONS * HTTP_1_1"));
        rows.add(request("CONNECT authority-form", head("CONNECT db.internal:5432 HTTP/1.1", "Host: db.internal:5432"))
            .startLine("CONNECT CONNECT db.internal:5432 HTTP_1_1").framed(NONE));
        rows.add(request("absolute-form target", head("GET http://a.example/x?y=1&z=%20 HTTP/1.1", "Host: a.example"))
            .startLine("GET GET http://a.example/x?y=1&z=%20 HTTP_1_1"));
        rows.add(request("every method", head("DELETE /x HTTP/1.1", "Host: a")).startLine("DELETE DELETE /x HTTP_1_1"));
        rows.add(request("HEAD, PATCH, TRACE are known", head("PATCH /x HTTP/1.1", "Host: a"))
            .startLine("PATCH PATCH /x HTTP_1_1"));
        rows.add(request("extension method", head("PURGE /cache HTTP/1.1", "Host: a"))
            .startLine("PURGE OTHER /cache HTTP_1_1"));
        rows.add(request("methods are case-sensitive", head("get / HTTP/1.1", "Host: a"))
            .startLine("get OTHER / HTTP_1_1"));
        rows.add(request("empty header value", get("Host: a", "X-Empty:")).headers("Host: a", "X-Empty: "));
        rows.add(request("whitespace-only header value", get("Host: a", "X-Empty: \t  ")).headers("Host: a", "X-Empty: "));
        rows.add(request("obs-text in a value", get("Host: a", "X-Latin: caf\u00e9 \u00ff"))
            .headers("Host: a", "X-Latin: caf\u00e9 \u00ff"));
        rows.add(request("HTAB inside a value", get("Host: a", "X-Tab: a\tb")).headers("Host: a", "X-Tab: a\tb"));
        rows.add(request("every token character in a name", get("Host: a", "!#$%&'*+-.^_`|~09azAZ: v"))
            .headers("Host: a", "!#$%&'*+-.^_`|~09azAZ: v"));
        rows.add(request("colon in a value", get("Host: a:8080", "X-Time: 12:30:00"))
            .headers("Host: a:8080", "X-Time: 12:30:00"));
        rows.add(request("no space after the colon", get("Host:a", "X-A:b")).headers("Host: a", "X-A: b"));
        rows.add(request("repeated field names", get("Host: a", "Accept: text/html", "Accept: */*"))
            .headers("Host: a", "Accept: text/html", "Accept: */*"));
        rows.add(request("empty Host in HTTP/1.1", get("Host:")).framed(NONE).headers("Host: "));
        rows.add(request("host in lower case", get("host: a")).framed(NONE));
        rows.add(request("browser-like request", head("GET /search?q=warren&lang=en HTTP/1.1",
            "Host: www.example.com",
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language: en-US,en;q=0.5",
            "Accept-Encoding: gzip, deflate, br, zstd",
            "Connection: keep-alive",
            "Cookie: session=4f2a9c; theme=dark",
            "Upgrade-Insecure-Requests: 1"))
            .framed(NONE).keepAlive(true).startLine("GET GET /search?q=warren&lang=en HTTP_1_1"));
    }

    private static void smuggling(final List<HttpCase> rows)
    {
        final String post = "POST / HTTP/1.1";
        rows.add(request("smuggling: CL+TE", head(post, "Host: a", "Content-Length: 5", CHUNKED_FIELD) +
            "0\r\n\r\n").rejected(400, "both"));
        rows.add(request("smuggling: CL+TE, TE first", head(post, "Host: a", CHUNKED_FIELD, "Content-Length: 5") +
            "0\r\n\r\n").rejected(400, "both"));
        rows.add(request("smuggling: CL+TE, Content-Length 0", head(post, "Host: a", "Content-Length: 0",
            CHUNKED_FIELD)).rejected(400, "both"));
        rows.add(request("smuggling: CL+TE, TE gzip", head(post, "Host: a", "Content-Length: 3",
            "Transfer-Encoding: gzip")).rejected(400, "both"));
        rows.add(request("smuggling: CL+TE in capitals", head(post, "HOST: a", "CONTENT-LENGTH: 5",
            "TRANSFER-ENCODING: CHUNKED")).rejected(400, "both"));
        rows.add(request("smuggling: differing CL fields", head(post, "Host: a", "Content-Length: 5",
            "Content-Length: 6") + "hello!").rejected(400, "differing"));
        rows.add(request("smuggling: differing CL in a list", head(post, "Host: a", "Content-Length: 5, 6"))
            .rejected(400, "differing"));
        rows.add(request("smuggling: differing CL, third value", head(post, "Host: a", "Content-Length: 5,5,6"))
            .rejected(400, "differing"));
        rows.add(request("smuggling: differing CL, 0 and 5", head(post, "Host: a", "Content-Length: 0",
            "content-length: 5")).rejected(400, "differing"));
        rows.add(request("smuggling: CL with a plus sign", head(post, "Host: a", "Content-Length: +5"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL negative", head(post, "Host: a", "Content-Length: -1"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL with inner space", head(post, "Host: a", "Content-Length: 1 2"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL with a letter", head(post, "Host: a", "Content-Length: 5a"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL in hex", head(post, "Host: a", "Content-Length: 0x5"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL in exponent form", head(post, "Host: a", "Content-Length: 1e3"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL empty", head(post, "Host: a", "Content-Length:"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL with an empty list element", head(post, "Host: a", "Content-Length: 5,"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL overflow", head(post, "Host: a", "Content-Length: 9223372036854775808"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL with 19 digits", head(post, "Host: a", "Content-Length: 0000000000000000005"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: CL with a decimal point", head(post, "Host: a", "Content-Length: 5.0"))
            .rejected(400, "Content-Length"));
        rows.add(request("smuggling: TE chunked twice in fields", head(post, "Host: a", CHUNKED_FIELD,
            CHUNKED_FIELD)).rejected(400, "more than once"));
        rows.add(request("smuggling: TE chunked twice in a list", head(post, "Host: a",
            "Transfer-Encoding: chunked, chunked")).rejected(400, "more than once"));
        rows.add(request("smuggling: TE gzip only", head(post, "Host: a", "Transfer-Encoding: gzip"))
            .rejected(400, "final"));
        rows.add(request("smuggling: TE chunked then gzip", head(post, "Host: a", "Transfer-Encoding: chunked, gzip"))
            .rejected(400, "final"));
        rows.add(request("smuggling: TE chunked then gzip in two fields", head(post, "Host: a", CHUNKED_FIELD,
            "Transfer-Encoding: gzip")).rejected(400, "final"));
        rows.add(request("smuggling: TE identity", head(post, "Host: a", "Transfer-Encoding: identity"))
            .rejected(400, "final"));
        rows.add(request("smuggling: TE xchunked", head(post, "Host: a", "Transfer-Encoding: xchunked"))
            .rejected(400, "final"));
        rows.add(request("smuggling: TE chunked with a parameter", head(post, "Host: a",
            "Transfer-Encoding: chunked;q=1")).rejected(400, "Transfer-Encoding"));
        rows.add(request("smuggling: TE quoted", head(post, "Host: a", "Transfer-Encoding: \"chunked\""))
            .rejected(400, "Transfer-Encoding"));
        rows.add(request("smuggling: TE empty", head(post, "Host: a", "Transfer-Encoding:"))
            .rejected(400, "Transfer-Encoding"));
        rows.add(request("smuggling: TE with an empty list element", head(post, "Host: a",
            "Transfer-Encoding: chunked,")).rejected(400, "Transfer-Encoding"));
        rows.add(request("smuggling: TE in HTTP/1.0", head("POST / HTTP/1.0", CHUNKED_FIELD) + "0\r\n\r\n")
            .rejected(400, "HTTP/1.0"));
        rows.add(request("smuggling: TE with a vertical tab", head(post, "Host: a", "Transfer-Encoding: \u000bchunked"))
            .rejected(400, "control"));
        rows.add(request("smuggling: TE with a NUL", head(post, "Host: a", "Transfer-Encoding: chunked\u0000"))
            .rejected(400, "control"));
        rows.add(request("smuggling: space before colon, TE", head(post, "Host: a", "Transfer-Encoding : chunked"))
            .rejected(400, "colon"));
        rows.add(request("smuggling: space before colon, CL", head(post, "Host: a", "Content-Length : 5"))
            .rejected(400, "colon"));
        rows.add(request("smuggling: tab before colon", head(post, "Host: a", "Transfer-Encoding\t: chunked"))
            .rejected(400, "colon"));
        rows.add(request("smuggling: space before colon, Host", head(post, "Host : a")).rejected(400, "colon"));
        rows.add(request("smuggling: obs-fold with space", head(post, "Host: a", "Transfer-Encoding: gzip,",
            " chunked")).rejected(400, "folding"));
        rows.add(request("smuggling: obs-fold with tab", head(post, "Host: a", "X-A: b", "\tTransfer-Encoding: chunked"))
            .rejected(400, "folding"));
        rows.add(request("smuggling: obs-fold of Content-Length", head(post, "Host: a", "Content-Length:", " 5"))
            .rejected(400, "folding"));
        rows.add(request("smuggling: whitespace before the first field", head(post, " Transfer-Encoding: chunked",
            "Host: a")).rejected(400, "whitespace"));
        rows.add(request("smuggling: bare LF ends a field line", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n")
            .rejected(400, "bare LF"));
        rows.add(request("smuggling: bare LF ends the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n")
            .rejected(400, "bare LF"));
        rows.add(request("smuggling: bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n")
            .rejected(400, "bare LF"));
        rows.add(request("smuggling: bare LF everywhere", "GET / HTTP/1.1\nHost: a\n\n").rejected(400, "bare LF"));
        rows.add(request("smuggling: bare LF hides a Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: a\r\nX: y\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc")
            .rejected(400, "bare LF"));
        rows.add(request("smuggling: bare LF before the request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
            .rejected(400, "bare LF"));
        rows.add(request("smuggling: bare CR inside a value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n")
            .rejected(400, "bare CR"));
        rows.add(request("smuggling: bare CR ends a field line", "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n")
            .rejected(400, "bare CR"));
        rows.add(request("smuggling: bare CR, CR CR LF", "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n")
            .rejected(400, "bare CR"));
        rows.add(request("smuggling: bare CR ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\rX")
            .rejected(400, "bare CR"));
        rows.add(request("smuggling: bare CR after the version", "GET / HTTP/1.1\rHost: a\r\n\r\n")
            .rejected(400, "bare CR"));
        rows.add(request("smuggling: bare CR before the request line", "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n")
            .rejected(400, "bare CR"));
        rows.add(request("smuggling: bare CR in the target", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n")
            .rejected(400));
    }

    private static void malformedRequests(final List<HttpCase> rows)
    {
        rows.add(request("NUL in a value", get("Host: a", "X: a\u0000b")).rejected(400, "control"));
        rows.add(request("DEL in a value", get("Host: a", "X: a\u007fb")).rejected(400, "control"));
        rows.add(request("escape in a value", get("Host: a", "X: \u001b[31m")).rejected(400, "control"));
        rows.add(request("control character in a name", get("Host: a", "X\u0001Y: b")).rejected(400, "name"));
        rows.add(request("space inside a name", get("Host: a", "Foo Bar: b")).rejected(400, "colon"));
        rows.add(request("parenthesis in a name", get("Host: a", "Foo(1): b")).rejected(400, "name"));
        rows.add(request("quote in a name", get("Host: a", "\"Foo\": b")).rejected(400, "name"));
        rows.add(request("non-ASCII in a name", get("Host: a", "Caf\u00e9: b")).rejected(400, "name"));
        rows.add(request("slash in a name", get("Host: a", "X/Y: b")).rejected(400, "name"));
        rows.add(request("empty name", get("Host: a", ": b")).rejected(400, "empty"));
        rows.add(request("field line without a colon", get("Host: a", "NoColon")).rejected(400, "colon"));
        rows.add(request("invalid character in the method", head("G(T / HTTP/1.1", "Host: a")).rejected(400, "method"));
        rows.add(request("non-ASCII in the method", head("G\u00c9T / HTTP/1.1", "Host: a")).rejected(400, "method"));
        rows.add(request("request line starts with a space", head(" GET / HTTP/1.1", "Host: a"))
            .rejected(400, "whitespace"));
        rows.add(request("tab after the method", head("GET\t/ HTTP/1.1", "Host: a")).rejected(400, "method"));
        rows.add(request("two spaces after the method", head("GET  / HTTP/1.1", "Host: a")).rejected(400, "empty"));
        rows.add(request("space inside the target", head("GET /a b HTTP/1.1", "Host: a")).rejected(400, "version"));
        rows.add(request("two spaces before the version", head("GET /  HTTP/1.1", "Host: a")).rejected(400, "version"));
        rows.add(request("control character in the target", head("GET /a\u0001 HTTP/1.1", "Host: a"))
            .rejected(400, "target"));
        rows.add(request("non-ASCII in the target", head("GET /caf\u00e9 HTTP/1.1", "Host: a")).rejected(400, "target"));
        rows.add(request("DEL in the target", head("GET /\u007f HTTP/1.1", "Host: a")).rejected(400, "target"));
        rows.add(request("tab in the target", head("GET /a\tb HTTP/1.1", "Host: a")).rejected(400, "target"));
        rows.add(request("no version", head("GET /", "Host: a")).rejected(400, "version"));
        rows.add(request("HTTP/0.9 request", "GET /\r\n").rejected(400, "version"));
        rows.add(request("only a method", "GET\r\n\r\n").rejected(400, "method"));
        rows.add(request("HTTP/1.2", head("GET / HTTP/1.2", "Host: a")).rejected(505));
        rows.add(request("HTTP/2.0", head("GET / HTTP/2.0", "Host: a")).rejected(505));
        rows.add(request("HTTP/0.9 version", head("GET / HTTP/0.9", "Host: a")).rejected(505));
        rows.add(request("HTTP/3.1", head("GET / HTTP/3.1", "Host: a")).rejected(505));
        rows.add(request("lower-case version", head("GET / http/1.1", "Host: a")).rejected(400, "version"));
        rows.add(request("version with two minor digits", head("GET / HTTP/1.10", "Host: a")).rejected(400, "version"));
        rows.add(request("version without a minor", head("GET / HTTP/11", "Host: a")).rejected(400, "version"));
        rows.add(request("space after the version", head("GET / HTTP/1.1 ", "Host: a")).rejected(400, "version"));
        rows.add(request("version then garbage", head("GET / HTTP/1.1x", "Host: a")).rejected(400, "version"));
        rows.add(request("version abbreviated", head("GET / HTTP/1", "Host: a")).rejected(400, "version"));
        rows.add(request("missing Host in HTTP/1.1", get("X: a")).rejected(400, "Host"));
        rows.add(request("two Host fields", get("Host: a", "Host: b")).rejected(400, "Host"));
        rows.add(request("two identical Host fields", get("Host: a", "Host: a")).rejected(400, "Host"));
        rows.add(request("two Host fields in different cases", get("host: a", "HOST: b")).rejected(400, "Host"));
        rows.add(request("two Host fields in HTTP/1.0", head("GET / HTTP/1.0", "Host: a", "Host: b"))
            .rejected(400, "Host"));
        rows.add(request("Host with a space", get("Host: a b")).rejected(400, "Host"));
        rows.add(request("Host with a path", get("Host: a.example/admin")).rejected(400, "Host"));
        rows.add(request("Host with userinfo", get("Host: user@a.example")).rejected(400, "Host"));
        rows.add(request("Host with obs-text", get("Host: caf\u00e9.example")).rejected(400, "Host"));
        rows.add(request("Host as an IPv6 literal with a port", get("Host: [::1]:8080")).framed(NONE)
            .headers("Host: [::1]:8080"));
        rows.add(request("unsupported coding before chunked",
            head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, chunked")).rejected(501));
        rows.add(request("unsupported coding in its own field",
            head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: br", CHUNKED_FIELD)).rejected(501));
        rows.add(request("leading CR CR", "\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400, "bare CR"));
        rows.add(request("garbage instead of a request", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003")
            .rejected(400, "method"));
        rows.add(request("empty input", "").rejected(-1));
        rows.add(request("input ends inside the request line", "GET /index.ht").rejected(-1));
        rows.add(request("input ends inside the header section", "GET / HTTP/1.1\r\nHost: a\r\n").rejected(-1));
        rows.add(request("input ends after the final CR", "GET / HTTP/1.1\r\nHost: a\r\n\r").rejected(-1));
    }

    private static void limits(final List<HttpCase> rows)
    {
        final String lineOf32 = "GET /" + "x".repeat(18) + " HTTP/1.1";
        rows.add(request("request line at its limit", head(lineOf32, "Host: a")).limits(SMALL).framed(NONE));
        rows.add(request("request line over its limit by one", head("GET /" + "x".repeat(19) + " HTTP/1.1", "Host: a"))
            .limits(SMALL).rejected(414));
        rows.add(request("request line over its limit in the method", head("M".repeat(40) + " / HTTP/1.1", "Host: a"))
            .limits(SMALL).rejected(414));
        rows.add(request("request line over its limit with empty lines before it",
            "\r\n\r\n\r\n" + head(lineOf32, "Host: a")).limits(SMALL).rejected(414));
        rows.add(request("empty lines before the request line over its limit", "\r\n".repeat(20)).limits(SMALL)
            .rejected(414));
        rows.add(request("request line over the default 8 KiB", head("GET /" + "a".repeat(8 * 1024) + " HTTP/1.1",
            "Host: a")).rejected(414));
        rows.add(request("request line over its limit without a CRLF", "GET /" + "a".repeat(40)).limits(SMALL)
            .rejected(414));
        // Header block of SMALL: 64 bytes, final CRLF included.
        final String fieldOf62 = "X: " + "v".repeat(57);
        rows.add(request("header block at its limit", head("GET / HTTP/1.0", fieldOf62)).limits(SMALL).framed(NONE));
        rows.add(request("header block over its limit by one", head("GET / HTTP/1.0", fieldOf62 + "v")).limits(SMALL)
            .rejected(431));
        rows.add(request("header block over its limit without an end", "GET / HTTP/1.0\r\nX: " + "v".repeat(100))
            .limits(SMALL).rejected(431));
        rows.add(request("header block over the default 32 KiB", get("Host: a", "X-Big: " + "b".repeat(32 * 1024))
        ).rejected(431));
        final String[] manySmall = new String[1200];
        for (int i = 0; i < manySmall.length; i++)
        {
            manySmall[i] = "X-" + i + ": " + "v".repeat(20);
        }
        rows.add(request("many fields over the default 32 KiB", get(manySmall))
            .limits(HttpLimits.DEFAULTS.withMaxHeaderCount(2000)).rejected(431));
        rows.add(request("header count at its limit", head("GET / HTTP/1.0", "A: 1", "B: 2", "C: 3", "D: 4"))
            .limits(SMALL).framed(NONE));
        rows.add(request("header count over its limit", head("GET / HTTP/1.0", "A: 1", "B: 2", "C: 3", "D: 4", "E: 5"))
            .limits(SMALL).rejected(431));
        final String[] hundredAndOne = new String[101];
        hundredAndOne[0] = "Host: a";
        for (int i = 1; i < hundredAndOne.length; i++)
        {
            hundredAndOne[i] = "X-" + i + ": v";
        }
        rows.add(request("101 fields over the default 100", get(hundredAndOne)).rejected(431));
        rows.add(request("100 fields at the default limit", get(Arrays.copyOf(hundredAndOne, 100)))
            .framed(NONE));
    }

    private static void chunkedBodies(final List<HttpCase> rows)
    {
        final String post = head("POST / HTTP/1.1", "Host: a", CHUNKED_FIELD);
        rows.add(request("chunks of several sizes", post + "1\r\na\r\n10\r\n0123456789abcdef\r\n3\r\nxyz\r\n0\r\n\r\n")
            .framed(CHUNKED).body("a0123456789abcdefxyz"));
        rows.add(request("chunk sizes in upper and lower case hex", post + "A\r\n0123456789\r\na\r\n0123456789\r\n" +
            "0\r\n\r\n").body("01234567890123456789"));
        rows.add(request("chunk size with leading zeros", post + "0005\r\nhello\r\n000\r\n\r\n").body("hello"));
        rows.add(request("chunk size of 16 digits", post + "0000000000000005\r\nhello\r\n0\r\n\r\n").body("hello"));
        rows.add(request("chunk extension with a token value", post + "5;name=value\r\nhello\r\n0\r\n\r\n")
            .body("hello"));
        rows.add(request("chunk extension without a value", post + "5;foo\r\nhello\r\n0;bar\r\n\r\n").body("hello"));
        rows.add(request("chunk extensions, several", post + "5;a=1;b;c=\"x\"\r\nhello\r\n0\r\n\r\n").body("hello"));
        rows.add(request("chunk extension with a quoted value", post + "5;a=\"b c;d=e\"\r\nhello\r\n0\r\n\r\n")
            .body("hello"));
        rows.add(request("chunk extension with an escaped quote", post + "5;a=\"x\\\"y\"\r\nhello\r\n0\r\n\r\n")
            .body("hello"));
        rows.add(request("chunk extension with optional whitespace", post + "5 ; a = b \t;c\r\nhello\r\n0\r\n\r\n")
            .body("hello"));
        rows.add(request("trailer field", post + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n")
            .body("hello").trailers("X-Checksum: abc"));
        rows.add(request("two trailer fields", post + "0\r\nX-A: 1\r\nx-b:2 \r\n\r\n").body("").trailers("X-A: 1",
            "x-b: 2"));
        rows.add(request("chunk data holding CRLF", post + "4\r\n\r\n\r\n\r\n0\r\n\r\n").body("\r\n\r\n"));
        rows.add(request("chunk data holding a fake last chunk", post + "6\r\n0\r\n\r\nX\r\n0\r\n\r\n")
            .body("0\r\n\r\nX"));
        rows.add(request("chunk at the configured maximum", post + "400\r\n" + "z".repeat(1024) + "\r\n0\r\n\r\n")
            .limits(SMALL).body("z".repeat(1024)));
        rows.add(request("chunk extension at its limit", post + "5;abcdefg\r\nhello\r\n0\r\n\r\n").limits(SMALL)
            .body("hello"));
        rows.add(request("trailer section at its limit", post + "0\r\nX: " + "t".repeat(25) + "\r\n\r\n")
            .limits(SMALL).trailers("X: " + "t".repeat(25)));
        rows.add(request("largest chunk size, truncated", post + "7fffffffffffffff\r\nabc").bodyRejected(400));

        rows.add(request("smuggling: bad chunk size, empty", post + "\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, not hex", post + "g\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, 0x prefix", post + "0x5\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, negative", post + "-5\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, plus sign", post + "+5\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, 17 digits", post + "00000000000000005\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, 2^63", post + "8000000000000000\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, 2^64 wraps to 0", post + "10000000000000000\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, over the configured maximum", post + "401\r\n" +
            "z".repeat(1025) + "\r\n0\r\n\r\n").limits(SMALL).bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, trailing space", post + "5 \r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, leading space", post + " 5\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, tab then garbage", post + "5\tx\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, bare LF after it", post + "5\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, bare CR after it", post + "5\rhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bad chunk size, in a fake next request", post + "5\r\nhello\r\nGET / HTTP/1.1\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: bare LF after chunk data", post + "5\r\nhello\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bare CR after chunk data", post + "5\r\nhello\rX0\r\n\r\n").bodyRejected(400));
        rows.add(request("chunk data longer than its size", post + "5\r\nhello!\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("chunk data shorter than its size", post + "6\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bare LF in a chunk extension", post + "5;a\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bare CR in a chunk extension", post + "5;a\rhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("chunk extension over its limit", post + "5;abcdefgh\r\nhello\r\n0\r\n\r\n").limits(SMALL)
            .bodyRejected(400));
        rows.add(request("chunk extension over the default 1 KiB", post + "5;a=" + "b".repeat(1024) +
            "\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("chunk extension without a name", post + "5;=b\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("chunk extension with an empty value", post + "5;a=\r\nhello\r\n0\r\n\r\n").bodyRejected(400));
        rows.add(request("chunk extension after a semicolon alone", post + "5;\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("chunk extension with an unterminated quote", post + "5;a=\"b\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("chunk extension with a control character", post + "5;a=\u0001\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("chunk extension value with two tokens", post + "5;a=b c\r\nhello\r\n0\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("smuggling: space before colon in a trailer", post + "0\r\nX : y\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: obs-fold in the trailers", post + "0\r\nX: y\r\n z\r\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bare LF in the trailers", post + "0\r\nX: y\n\r\n").bodyRejected(400));
        rows.add(request("smuggling: bare LF ends the trailers", post + "0\r\n\n").bodyRejected(400));
        rows.add(request("Content-Length in the trailers", post + "0\r\nContent-Length: 5\r\n\r\n").bodyRejected(400));
        rows.add(request("Transfer-Encoding in the trailers", post + "0\r\nTransfer-Encoding: chunked\r\n\r\n")
            .bodyRejected(400));
        rows.add(request("Host in the trailers", post + "0\r\nHost: b\r\n\r\n").bodyRejected(400));
        rows.add(request("trailer section over its limit", post + "0\r\nX: " + "t".repeat(26) + "\r\n\r\n")
            .limits(SMALL).bodyRejected(431));
        rows.add(request("trailer count over its limit", post + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n")
            .limits(SMALL.withMaxTrailerBlock(1024)).bodyRejected(431));
        rows.add(request("chunked body cut short", post + "5\r\nhel").bodyRejected(400));
        rows.add(request("chunked body without its last chunk", post + "5\r\nhello\r\n").bodyRejected(400));
        rows.add(request("chunked body without its final CRLF", post + "0\r\n").bodyRejected(400));
        rows.add(request("Content-Length body cut short", head("POST / HTTP/1.1", "Host: a", "Content-Length: 10") +
            "hello").bodyRejected(400));
    }

    private static void validResponses(final List<HttpCase> rows)
    {
        rows.add(response("200 with Content-Length", head("HTTP/1.1 200 OK", "Content-Length: 5") + "hello")
            .contentLength(5).body("hello").keepAlive(true).startLine("HTTP_1_1 200 OK"));
        rows.add(response("200 chunked", head("HTTP/1.1 200 OK", CHUNKED_FIELD) + "5\r\nhello\r\n0\r\n\r\n")
            .framed(CHUNKED).body("hello").keepAlive(true));
        rows.add(response("200 chunked with trailers", head("HTTP/1.1 200 OK", CHUNKED_FIELD) +
            "5\r\nhello\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n").body("hello").trailers("Server-Timing: db;dur=53"));
        rows.add(response("200 read until close", head("HTTP/1.1 200 OK", "Content-Type: text/plain") + "all of it")
            .framed(UNTIL_CLOSE).body("all of it").keepAlive(false));
        rows.add(response("HTTP/1.0 200 read until close", head("HTTP/1.0 200 OK") + "old")
            .framed(UNTIL_CLOSE).body("old").keepAlive(false));
        rows.add(response("HTTP/1.0 200 keep-alive", head("HTTP/1.0 200 OK", "Connection: keep-alive",
            "Content-Length: 2") + "ok").contentLength(2).keepAlive(true));
        rows.add(response("HTTP/1.0 200 keep-alive without a length", head("HTTP/1.0 200 OK", "Connection: keep-alive")
            + "x").framed(UNTIL_CLOSE).keepAlive(false));
        rows.add(response("200 Connection: close", head("HTTP/1.1 200 OK", "Connection: close", "Content-Length: 0"))
            .contentLength(0).keepAlive(false));
        rows.add(response("200 Content-Length 0", head("HTTP/1.1 200 OK", "Content-Length: 0")).contentLength(0)
            .body(""));
        rows.add(response("identical Content-Length fields", head("HTTP/1.1 200 OK", "Content-Length: 2",
            "Content-Length: 2") + "ok").contentLength(2));
        rows.add(response("404 with a body", head("HTTP/1.1 404 Not Found", "Content-Length: 9") + "not found")
            .contentLength(9).startLine("HTTP_1_1 404 Not Found"));
        rows.add(response("204 has no body", head("HTTP/1.1 204 No Content") + "next").framed(NONE).keepAlive(true)
            .leftover(4));
        rows.add(response("204 ignores Content-Length", head("HTTP/1.1 204 No Content", "Content-Length: 5"))
            .framed(NONE));
        rows.add(response("304 ignores Content-Length", head("HTTP/1.1 304 Not Modified", "Content-Length: 500"))
            .framed(NONE));
        rows.add(response("304 ignores chunked", head("HTTP/1.1 304 Not Modified", CHUNKED_FIELD)).framed(NONE));
        rows.add(response("100 Continue", head("HTTP/1.1 100 Continue")).framed(NONE).startLine("HTTP_1_1 100 Continue"));
        rows.add(response("101 Switching Protocols", head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket",
            "Connection: Upgrade") + "\u0081\u0000").framed(NONE).leftover(2));
        rows.add(response("103 Early Hints", head("HTTP/1.1 103 Early Hints", "Link: </a.css>; rel=preload"))
            .framed(NONE));
        rows.add(response("HEAD response with Content-Length", head("HTTP/1.1 200 OK", "Content-Length: 1000"))
            .answering(HttpMethod.HEAD).framed(NONE));
        rows.add(response("HEAD response with chunked", head("HTTP/1.1 200 OK", CHUNKED_FIELD))
            .answering(HttpMethod.HEAD).framed(NONE));
        rows.add(response("HEAD response without framing", head("HTTP/1.1 200 OK")).answering(HttpMethod.HEAD)
            .framed(NONE).keepAlive(true));
        rows.add(response("CONNECT 200 becomes a tunnel", head("HTTP/1.1 200 Connection established") + "\u0016\u0003")
            .answering(HttpMethod.CONNECT).framed(NONE).keepAlive(false).leftover(2));
        rows.add(response("CONNECT 407 has a body", head("HTTP/1.1 407 Proxy Authentication Required",
            "Content-Length: 4") + "auth").answering(HttpMethod.CONNECT).contentLength(4).body("auth"));
        rows.add(response("empty reason", head("HTTP/1.1 200 ", "Content-Length: 0")).startLine("HTTP_1_1 200 "));
        rows.add(response("status without a reason or its space", head("HTTP/1.1 200", "Content-Length: 0"))
            .startLine("HTTP_1_1 200 "));
        rows.add(response("reason with tabs and obs-text", head("HTTP/1.1 200 \u00c7a\tva", "Content-Length: 0"))
            .startLine("HTTP_1_1 200 \u00c7a\tva"));
        rows.add(response("status 599", head("HTTP/1.1 599 Whatever", "Content-Length: 0")).contentLength(0));
        rows.add(response("reason with a colon", head("HTTP/1.1 500 Oops: it broke", "Content-Length: 0"))
            .startLine("HTTP_1_1 500 Oops: it broke"));
    }

    private static void invalidResponses(final List<HttpCase> rows)
    {
        rows.add(response("smuggling: CL+TE in a response", head("HTTP/1.1 200 OK", "Content-Length: 5",
            CHUNKED_FIELD)).rejected(400, "both"));
        rows.add(response("smuggling: CL+TE in a 204", head("HTTP/1.1 204 No Content", "Content-Length: 0",
            CHUNKED_FIELD)).rejected(400, "both"));
        rows.add(response("smuggling: differing CL in a response", head("HTTP/1.1 200 OK", "Content-Length: 5",
            "Content-Length: 50")).rejected(400, "differing"));
        rows.add(response("smuggling: differing CL in a HEAD response", head("HTTP/1.1 200 OK", "Content-Length: 5",
            "Content-Length: 50")).answering(HttpMethod.HEAD).rejected(400, "differing"));
        rows.add(response("invalid Content-Length", head("HTTP/1.1 200 OK", "Content-Length: five"))
            .rejected(400, "Content-Length"));
        rows.add(response("TE gzip only", head("HTTP/1.1 200 OK", "Transfer-Encoding: gzip")).rejected(400, "final"));
        rows.add(response("TE gzip then chunked", head("HTTP/1.1 200 OK", "Transfer-Encoding: gzip, chunked"))
            .rejected(501));
        rows.add(response("TE in HTTP/1.0", head("HTTP/1.0 200 OK", CHUNKED_FIELD)).rejected(400, "HTTP/1.0"));
        rows.add(response("smuggling: space before colon in a response", head("HTTP/1.1 200 OK",
            "Content-Length : 5")).rejected(400, "colon"));
        rows.add(response("smuggling: obs-fold in a response", head("HTTP/1.1 200 OK", "X: a", " b"))
            .rejected(400, "folding"));
        rows.add(response("smuggling: bare LF in a response", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n")
            .rejected(400, "bare LF"));
        rows.add(response("smuggling: bare LF after a response field", "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n")
            .rejected(400, "bare LF"));
        rows.add(response("smuggling: bare CR in a response", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n")
            .rejected(400, "bare CR"));
        rows.add(response("status 600", head("HTTP/1.1 600 Nope")).rejected(400, "status"));
        rows.add(response("status 099", head("HTTP/1.1 099 Nope")).rejected(400, "status"));
        rows.add(response("status with two digits", head("HTTP/1.1 20 OK")).rejected(400, "status"));
        rows.add(response("status with four digits", head("HTTP/1.1 2000 OK")).rejected(400, "status"));
        rows.add(response("status with a letter", head("HTTP/1.1 2x0 OK")).rejected(400, "status"));
        rows.add(response("two spaces before the status", head("HTTP/1.1  200 OK")).rejected(400, "status"));
        rows.add(response("HTTP/2.0 status line", head("HTTP/2.0 200 OK")).rejected(505));
        rows.add(response("HTTP/1.2 status line", head("HTTP/1.2 200 OK")).rejected(505));
        rows.add(response("ICY status line", head("ICY 200 OK")).rejected(400, "version"));
        rows.add(response("lower-case version", head("http/1.1 200 OK")).rejected(400, "version"));
        rows.add(response("empty line before the status line", "\r\n" + head("HTTP/1.1 200 OK")).rejected(400));
        rows.add(response("control character in the reason", head("HTTP/1.1 200 O\u0000K")).rejected(400, "reason"));
        rows.add(response("bare LF after the status", "HTTP/1.1 200\nContent-Length: 0\r\n\r\n").rejected(400, "LF"));
        rows.add(response("status line over its limit", head("HTTP/1.1 200 " + "O".repeat(20))).limits(SMALL)
            .rejected(414));
        rows.add(response("status line at its limit", head("HTTP/1.1 200 " + "O".repeat(19), "Content-Length: 0"))
            .limits(SMALL).contentLength(0));
        rows.add(response("header block over its limit in a response", head("HTTP/1.1 200 OK",
            "X: " + "v".repeat(32 * 1024))).rejected(431));
        rows.add(response("header count over its limit in a response", head("HTTP/1.1 200 OK", "A: 1", "B: 2",
            "C: 3", "D: 4", "E: 5")).limits(SMALL).rejected(431));
        rows.add(response("chunked response with a bad chunk size", head("HTTP/1.1 200 OK", CHUNKED_FIELD) +
            "zz\r\n").bodyRejected(400));
        rows.add(response("chunked response cut short", head("HTTP/1.1 200 OK", CHUNKED_FIELD) + "5\r\nhel")
            .bodyRejected(400));
        rows.add(response("Content-Length response cut short", head("HTTP/1.1 200 OK", "Content-Length: 5") + "hel")
            .bodyRejected(400));
    }
}
