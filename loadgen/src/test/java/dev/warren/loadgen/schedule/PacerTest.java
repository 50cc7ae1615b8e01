package dev.warren.loadgen.schedule;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest
{
    @Test
    void shouldWakeALoopWhenItsTimeHasComeAndNotBefore() throws InterruptedException
    {
        final CountDownLatch woken = new CountDownLatch(1);
        final AtomicLong wokenAtNs = new AtomicLong();
        final Executor loop = Runnable::run; // runs on the pacer's thread: enough to see when it is offered
        try (Pacer pacer = new Pacer("test-pacer"))
        {
            final Pacer.Signal signal = pacer.signal(loop, () ->
            {
                wokenAtNs.set(System.nanoTime());
                woken.countDown();
            });
            pacer.start();
            final long dueNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            signal.publish(dueNs);
            assertTrue(woken.await(5, TimeUnit.SECONDS));
            assertTrue(wokenAtNs.get() >= dueNs, "woken before its time");
            signal.publish(Long.MAX_VALUE);
        }
    }
}
