package dev.warren.engine.edge;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeGuardTest
{
    private final AtomicLong now = new AtomicLong(1_000);
    private final HandshakeGuard guard = new HandshakeGuard(3, 100, 4, now::get);

    private static InetAddress address(final int last) throws Exception
    {
        return InetAddress.getByAddress(new byte[]{127, 0, 0, (byte)last});
    }

    @Test
    void shouldRefuseAnAddressAfterTooManyFailuresUntilTheWindowPasses() throws Exception
    {
        final InetAddress attacker = address(9);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(guard.allows(attacker), "failure " + i);
            guard.failed(attacker);
        }
        assertFalse(guard.allows(attacker));
        assertTrue(guard.allows(address(10)), "other addresses are not affected");
        now.addAndGet(99);
        assertFalse(guard.allows(attacker));
        now.addAndGet(1);
        assertTrue(guard.allows(attacker), "allowed again once the window passed");
    }

    @Test
    void shouldStartANewWindowAfterTheOldOne() throws Exception
    {
        final InetAddress address = address(7);
        guard.failed(address);
        guard.failed(address);
        now.addAndGet(150);
        guard.failed(address);
        guard.failed(address);
        assertTrue(guard.allows(address), "two failures in the new window are within the limit");
    }

    @Test
    void shouldBoundWhatItTracks() throws Exception
    {
        for (int i = 1; i <= 10; i++)
        {
            guard.failed(address(i));
        }
        assertEquals(4, guard.tracked(), "a flood of addresses does not grow memory past the cap");
        now.addAndGet(100);
        guard.failed(address(50));
        assertEquals(1, guard.tracked(), "expired entries make room");
    }
}
