package dev.warren.engine.edge;

import dev.warren.engine.loop.EventLoop;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chooser's pick over stand-in connections whose counts move between two reads, as other loops make them. */
class TunnelRegistryPickTest
{
    /** A connection whose open-stream count follows a script, one value a read, the last repeated. */
    private static final class Scripted implements TunnelRegistry.Candidate
    {
        private final int[] counts;
        private int reads;
        private boolean accepts = true;
        private EventLoop loop;

        Scripted(final int... counts)
        {
            this.counts = counts;
        }

        Scripted on(final EventLoop loop)
        {
            this.loop = loop;
            return this;
        }

        @Override
        public boolean acceptsStreams()
        {
            return accepts;
        }

        @Override
        public int openStreams()
        {
            return counts[Math.min(reads++, counts.length - 1)];
        }

        @Override
        public EventLoop loop()
        {
            return loop;
        }
    }

    @Test
    void shouldStillPickWhenEveryCountMovedPastTheFewestSeenAMomentAgo()
    {
        // first read (the fewest): 5 and 6; by the second read both rose past 5 + slack: the least busy serves
        final Scripted a = new Scripted(5, 12);
        final Scripted b = new Scripted(6, 9);

        assertSame(b, TunnelRegistry.pick(List.of(a, b), new AtomicInteger(), null));
    }

    @Test
    void shouldRotateAmongConnectionsWithinTheSlack()
    {
        final List<Scripted> live = List.of(new Scripted(0), new Scripted(1), new Scripted(2), new Scripted(9));
        final AtomicInteger cursor = new AtomicInteger();
        final List<TunnelRegistry.Candidate> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            picks.add(TunnelRegistry.pick(live, cursor, null));
        }
        // the cursor moves on each pick; the one with 9 open (more than 0 + 2) is passed over for the next in turn
        assertEquals(List.of(live.get(0), live.get(1), live.get(2), live.get(0), live.get(0), live.get(1),
            live.get(2), live.get(0)), picks);
    }

    @Test
    void shouldKeepAClientOnItsConnectionUpToTwiceTheOthersMeanPlusTheSlack()
    {
        // 64 clients over 4 connections, their counts wandering: the least busy dips to 3 now and then, which must
        // not move the clients of a connection with 22 (the bar used to be twice the fewest plus the slack: 8)
        final Scripted previous = new Scripted(22);
        assertEquals(2 * 14 + 2, TunnelRegistry.stickyLimit(List.of(previous, new Scripted(3), new Scripted(19),
            new Scripted(20)), previous));
        // a connection that has piled up streams (a slower replica under an open-loop load) loses its clients
        final Scripted piled = new Scripted(60);
        assertTrue(60 > TunnelRegistry.stickyLimit(List.of(piled, new Scripted(4), new Scripted(4),
            new Scripted(4)), piled));
        // with two connections too: the bar is the other one's count, never one that counts the client's own
        final Scripted slow = new Scripted(30);
        assertEquals(2 * 10 + 2, TunnelRegistry.stickyLimit(List.of(slow, new Scripted(10)), slow));
        // connections that take no streams do not count; with no other, the client stays
        final Scripted draining = new Scripted(100);
        draining.accepts = false;
        final Scripted only = new Scripted(10);
        assertEquals(2 * 5 + 2, TunnelRegistry.stickyLimit(List.of(draining, only, new Scripted(5)), only));
        assertEquals(Integer.MAX_VALUE, TunnelRegistry.stickyLimit(List.of(draining, only), only));
    }

    @Test
    void shouldPreferTheGivenLoopAmongTheEligibleButNeverBeyondTheSlack()
    {
        try (EventLoop mine = new EventLoop("mine", new dev.warren.engine.loop.BufferPool());
             EventLoop other = new EventLoop("other", new dev.warren.engine.loop.BufferPool()))
        {
            final List<Scripted> live = List.of(new Scripted(0).on(other), new Scripted(1).on(other),
                new Scripted(2).on(mine), new Scripted(0).on(other));
            final AtomicInteger cursor = new AtomicInteger();
            for (int i = 0; i < 4; i++)
            {
                // whichever connection's turn it is, the one on the preferred loop (within 0 + 2) wins
                assertSame(live.get(2), TunnelRegistry.pick(live, cursor, mine));
            }
            // the preferred loop's connection has 3 open, beyond the fewest (0) plus the slack: the next in turn serves
            final List<Scripted> busy = List.of(new Scripted(0).on(other), new Scripted(3).on(mine),
                new Scripted(1).on(other));
            assertSame(busy.get(0), TunnelRegistry.pick(busy, new AtomicInteger(), mine));
            assertSame(busy.get(2), TunnelRegistry.pick(busy, new AtomicInteger(1), mine));
            // no preference: plain turns
            assertSame(live.get(1), TunnelRegistry.pick(live, new AtomicInteger(1), null));
        }
    }

    @Test
    void shouldGiveEachConnectionOnThePreferredLoopAnEqualShareWhateverItsPlace()
    {
        try (EventLoop mine = new EventLoop("mine", new dev.warren.engine.loop.BufferPool());
             EventLoop other = new EventLoop("other", new dev.warren.engine.loop.BufferPool()))
        {
            // two replicas whose handshakes ended in the order A0, B0 (this loop), A1, B1 (the other): taking the first
            // local one after the cursor gave A0 three picks in four, replica A 75% of this loop's clients
            final Scripted a0 = new Scripted(0).on(mine);
            final Scripted b0 = new Scripted(0).on(mine);
            final List<Scripted> live = List.of(a0, b0, new Scripted(0).on(other), new Scripted(0).on(other));
            final AtomicInteger cursor = new AtomicInteger();
            int toA0 = 0;
            for (int i = 0; i < 400; i++)
            {
                final Scripted picked = TunnelRegistry.pick(live, cursor, mine);
                assertTrue(picked == a0 || picked == b0, "a connection on the preferred loop");
                toA0 += picked == a0 ? 1 : 0;
            }
            assertEquals(200, toA0);
        }
    }

    @Test
    void shouldCallConnectionsEvenOverLoopsOnlyWhenEveryLoopHoldsAsMany()
    {
        try (EventLoop one = new EventLoop("one", new dev.warren.engine.loop.BufferPool());
             EventLoop two = new EventLoop("two", new dev.warren.engine.loop.BufferPool()))
        {
            assertTrue(TunnelRegistry.evenOverLoops(List.of()));
            assertTrue(TunnelRegistry.evenOverLoops(List.of(new Scripted(0).on(one), new Scripted(0).on(two))));
            assertTrue(TunnelRegistry.evenOverLoops(List.of(new Scripted(0).on(one), new Scripted(0).on(one))));
            // three over two loops: the lone one would get half of all new clients
            assertFalse(TunnelRegistry.evenOverLoops(List.of(new Scripted(0).on(one), new Scripted(0).on(two),
                new Scripted(0).on(one))));
        }
    }

    @Test
    void shouldPickNothingOnlyWhenNoConnectionTakesStreams()
    {
        final Scripted draining = new Scripted(0);
        draining.accepts = false;

        assertNull(TunnelRegistry.pick(List.of(draining), new AtomicInteger(), null));
        assertNull(TunnelRegistry.pick(List.<Scripted>of(), new AtomicInteger(), null));
    }
}
