package dev.warren.codec.http;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Encode, then decode: any valid request or response, with any fields, framing, chunking and trailers, written by
 * {@link HttpHeadEncoder} and {@link HttpChunkEncoder}, decodes to exactly what was written, whatever pieces its
 * bytes arrive in. Edge cases are off: jqwik's would be mostly the extreme seeds, that is the same few messages.
 */
class HttpRoundTripTest
{
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void shouldDecodeAnEncodedRequestToWhatWasEncoded(
        @ForAll("requests") final Message message,
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 64) final int maxPiece)
    {
        roundTrip(message, seed, maxPiece);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void shouldDecodeAnEncodedResponseToWhatWasEncoded(
        @ForAll("responses") final Message message,
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 64) final int maxPiece)
    {
        roundTrip(message, seed, maxPiece);
    }

    private static void roundTrip(final Message message, final long seed, final int maxPiece)
    {
        final byte[] wire = message.encode();
        final MessageReader.Kind kind = message.request() ? MessageReader.Kind.REQUEST : MessageReader.Kind.RESPONSE;

        final MessageReader.Outcome once = MessageReader.inOneRead(wire, kind, message.method(), HttpLimits.DEFAULTS);
        assertEquals(message.expected(once.headLength(), wire.length), once);

        final Random random = new Random(seed);
        final MessageReader.Outcome inPieces = MessageReader.read(wire, kind, message.method(), HttpLimits.DEFAULTS,
            () -> 1 + random.nextInt(maxPiece), random.nextBoolean());
        assertEquals(once, inPieces);
    }

    @Provide
    Arbitrary<Message> requests()
    {
        return Message.requests();
    }

    @Provide
    Arbitrary<Message> responses()
    {
        return Message.responses();
    }
}
