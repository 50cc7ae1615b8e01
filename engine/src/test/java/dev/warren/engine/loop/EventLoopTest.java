package dev.warren.engine.loop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class EventLoopTest
{
    private static final long TIMEOUT_S = 5;
    /** The loop parks this long when nothing is scheduled: a wake-up slower than that was never delivered. */
    private static final long PROMPT_WAKE_MS = 500;
    private static final long TICK_NS = 1L << 23;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EventLoop loop;

    @BeforeEach
    void startLoop()
    {
        loop = new EventLoop("event-loop-test", new BufferPool(1024)).start();
    }

    @AfterEach
    void closeLoop() throws Exception
    {
        loop.close();
        for (final AutoCloseable closeable : closeables)
        {
            closeable.close();
        }
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    @Test
    void shouldRunEveryCommandOnceInPerProducerOrder() throws Exception
    {
        final int producers = 4;
        final int perProducer = 100_000;
        final int[] next = new int[producers]; // touched on the loop thread only
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicInteger offLoop = new AtomicInteger();
        final CountDownLatch go = new CountDownLatch(1);
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads[p] = new Thread(() ->
            {
                awaitQuietly(go);
                for (int i = 0; i < perProducer; i++)
                {
                    final int sequence = i;
                    loop.execute(() ->
                    {
                        if (!loop.inLoop())
                        {
                            offLoop.incrementAndGet();
                        }
                        if (next[producer] != sequence)
                        {
                            outOfOrder.incrementAndGet();
                        }
                        next[producer] = sequence + 1;
                    });
                }
            }, "producer-" + p);
            threads[p].start();
        }

        go.countDown();
        for (final Thread thread : threads)
        {
            thread.join(SECONDS.toMillis(TIMEOUT_S));
            assertFalse(thread.isAlive(), thread.getName() + " did not finish offering");
        }
        final int[] ran = onLoop(next::clone);

        final int[] all = new int[producers];
        Arrays.fill(all, perProducer);
        assertArrayEquals(all, ran);
        assertEquals(0, outOfOrder.get(), "commands run twice, skipped or out of their producer's order");
        assertEquals(0, offLoop.get());
    }

    @Test
    void shouldWakeFromSelectPromptlyWhenACommandArrives() throws Exception
    {
        final Thread loopThread = onLoop(Thread::currentThread);

        for (int i = 0; i < 5; i++)
        {
            awaitParkedInSelect(loopThread);
            final long offeredAt = System.nanoTime();
            final long ranAt = loop.submit(System::nanoTime).get(TIMEOUT_S, SECONDS);

            final long latencyMs = NANOSECONDS.toMillis(ranAt - offeredAt);
            assertTrue(latencyMs < PROMPT_WAKE_MS, "a command waited " + latencyMs + " ms for a parked loop");
        }
    }

    @Test
    void shouldNeverLoseAWakeUpWhenCommandsRaceWithParking() throws Exception
    {
        final int producers = 4;
        final int roundTrips = 500;
        final AtomicLong slowestNs = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch go = new CountDownLatch(1);
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            threads[p] = new Thread(() ->
            {
                awaitQuietly(go);
                try
                {
                    for (int i = 0; i < roundTrips; i++)
                    {
                        final long offeredAt = System.nanoTime();
                        loop.submit(() -> null).get(TIMEOUT_S, SECONDS);
                        slowestNs.accumulateAndGet(System.nanoTime() - offeredAt, Math::max);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "round-trip-" + p);
            threads[p].start();
        }

        go.countDown();
        for (final Thread thread : threads)
        {
            thread.join(SECONDS.toMillis(4 * TIMEOUT_S));
            assertFalse(thread.isAlive(), thread.getName() + " is stuck");
        }
        assertNull(failure.get());
        final long slowestMs = NANOSECONDS.toMillis(slowestNs.get());
        assertTrue(slowestMs < 2 * PROMPT_WAKE_MS - 100, "slowest round trip " + slowestMs + " ms: a lost wake-up");
    }

    @Test
    void shouldReturnTheValueOfASubmittedSupplier() throws Exception
    {
        assertEquals(42, loop.submit(() -> 42).get(TIMEOUT_S, SECONDS));
        assertNull(loop.submit(() -> null).get(TIMEOUT_S, SECONDS));
        assertTrue(loop.submit(loop::inLoop).get(TIMEOUT_S, SECONDS));
    }

    @Test
    void shouldPropagateTheExceptionOfASubmittedSupplier()
    {
        final CompletableFuture<Object> future = loop.submit(() ->
        {
            throw new IllegalStateException("boom");
        });

        final ExecutionException ex = assertThrows(ExecutionException.class, () -> future.get(TIMEOUT_S, SECONDS));
        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertEquals("boom", ex.getCause().getMessage());
    }

    @Test
    void shouldSurviveThrowingCommandsTimersFlushablesAndHandlers() throws Exception
    {
        loop.execute(() ->
        {
            throw new IllegalStateException("command failed on purpose");
        });
        loop.execute(() ->
        {
            throw new AssertionError("an Error, on purpose");
        });
        final CompletableFuture<Void> timerAfterThrowingTimer = new CompletableFuture<>();
        final CompletableFuture<Void> flushedAfterThrowingFlushable = new CompletableFuture<>();
        onLoop(() ->
        {
            loop.schedule(0, () ->
            {
                throw new IllegalStateException("timer failed on purpose");
            });
            loop.schedule(TICK_NS, () -> timerAfterThrowingTimer.complete(null));
            loop.flushLater(() ->
            {
                throw new IllegalStateException("flush failed on purpose");
            });
            loop.flushLater(() -> flushedAfterThrowingFlushable.complete(null));
            return null;
        });

        final SocketChannel[] pair = connectedPair();
        final AtomicInteger calls = new AtomicInteger();
        final IoHandler throwing = new IoHandler()
        {
            @Override
            public void onReady(final int readyOps)
            {
                calls.incrementAndGet();
                throw new IllegalStateException("handler failed on purpose");
            }

            @Override
            public void rekeyed(final SelectionKey key)
            {
            }
        };
        final SelectionKey key = onLoop(() -> loop.register(pair[0], SelectionKey.OP_READ, throwing));
        write(pair[1], "x");

        timerAfterThrowingTimer.get(TIMEOUT_S, SECONDS);
        flushedAfterThrowingFlushable.get(TIMEOUT_S, SECONDS);
        final long deadline = System.nanoTime() + SECONDS.toNanos(TIMEOUT_S);
        while (calls.get() == 0 && System.nanoTime() < deadline)
        {
            onLoop(() -> null);
        }
        assertTrue(calls.get() > 0, "the handler was never called");
        onLoop(() ->
        {
            key.cancel();
            return null;
        });

        assertEquals("alive", loop.submit(() -> "alive").get(TIMEOUT_S, SECONDS));
        assertFalse(loop.terminated().isDone());
    }

    @Test
    void shouldKnowItsOwnThread() throws Exception
    {
        assertSame(loop, onLoop(EventLoop::current));
        assertTrue(onLoop(loop::inLoop));
        assertEquals("event-loop-test", onLoop(() -> Thread.currentThread().getName()));

        assertNull(EventLoop.current());
        assertFalse(loop.inLoop());

        final AtomicReference<EventLoop> seen = new AtomicReference<>(loop);
        final Thread other = new Thread(() -> seen.set(EventLoop.current()));
        other.start();
        other.join(SECONDS.toMillis(TIMEOUT_S));
        assertNull(seen.get());

        try (EventLoop second = new EventLoop("event-loop-test-2", new BufferPool(1024)).start())
        {
            assertSame(second, second.submit(EventLoop::current).get(TIMEOUT_S, SECONDS));
            assertFalse(second.submit(loop::inLoop).get(TIMEOUT_S, SECONDS));
        }
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    @Test
    void shouldRunAScheduledTaskNoSoonerThanItsDelay() throws Exception
    {
        for (final long delayMs : new long[]{0, 1, 30, 75})
        {
            final long delayNs = MILLISECONDS.toNanos(delayMs);
            final CompletableFuture<Long> ranAt = new CompletableFuture<>();
            final AtomicBoolean ranOnLoop = new AtomicBoolean();
            final long scheduledAt = onLoop(() ->
            {
                final long now = System.nanoTime();
                loop.schedule(delayNs, () ->
                {
                    ranOnLoop.set(loop.inLoop());
                    ranAt.complete(System.nanoTime());
                });
                return now;
            });

            final long elapsedNs = ranAt.get(TIMEOUT_S, SECONDS) - scheduledAt;
            assertTrue(elapsedNs >= delayNs, "a " + delayMs + " ms timer ran after " + elapsedNs + " ns");
            assertTrue(ranOnLoop.get());
        }
        assertEquals(0, onLoop(loop::timerCount));
    }

    @Test
    void shouldNotRunACancelledTask() throws Exception
    {
        final AtomicBoolean cancelledRan = new AtomicBoolean();
        final CompletableFuture<Void> later = new CompletableFuture<>();
        final int scheduled = onLoop(() ->
        {
            final long id = loop.schedule(MILLISECONDS.toNanos(20), () -> cancelledRan.set(true));
            loop.schedule(MILLISECONDS.toNanos(80), () -> later.complete(null));
            final int count = loop.timerCount();
            loop.cancel(id);
            return count;
        });
        assertEquals(2, scheduled);

        // the cancelled task was due first: had it survived, it would have run before this one
        later.get(TIMEOUT_S, SECONDS);
        assertFalse(cancelledRan.get());
        assertEquals(0, onLoop(loop::timerCount));
    }

    @Test
    void shouldIgnoreCancellingAnUnknownTimer() throws Exception
    {
        final CompletableFuture<Void> ran = new CompletableFuture<>();
        final int count = onLoop(() ->
        {
            final long id = loop.schedule(MILLISECONDS.toNanos(10), () -> ran.complete(null));
            loop.cancel(-1);
            loop.cancel(id ^ 0x5555_0000_0000L);
            loop.cancel(Long.MAX_VALUE);
            return loop.timerCount();
        });

        assertEquals(1, count);
        ran.get(TIMEOUT_S, SECONDS);
    }

    @Test
    void shouldIgnoreCancellingATimerTwice() throws Exception
    {
        final int count = onLoop(() ->
        {
            loop.schedule(SECONDS.toNanos(60), () -> { });
            final long id = loop.schedule(SECONDS.toNanos(60), () -> { });
            loop.cancel(id);
            loop.cancel(id);
            return loop.timerCount();
        });

        assertEquals(1, count);
    }

    @Test
    void shouldNotCancelAnotherTimerWhenCancellingOneThatExpired() throws Exception
    {
        final CompletableFuture<Void> fired = new CompletableFuture<>();
        final long expiredId = onLoop(() -> loop.schedule(0, () -> fired.complete(null)));
        fired.get(TIMEOUT_S, SECONDS);

        final int wheelSpokes = 512;
        final int[] counts = onLoop(() ->
        {
            // one far-off timer on every tick of the wheel (twice round): whatever id the wheel hands out, one of
            // these has it
            final long[] ids = new long[2 * wheelSpokes];
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = loop.schedule(SECONDS.toNanos(3600) + i * TICK_NS, () -> { });
            }
            final int before = loop.timerCount();
            loop.cancel(expiredId);
            final int after = loop.timerCount();
            for (final long id : ids)
            {
                loop.cancel(id);
            }
            return new int[]{before, after};
        });

        assertEquals(counts[0], counts[1], "cancelling an expired timer cancelled a live one");
    }

    @Test
    void shouldRunAShortTimerOnTimeAfterTheLoopWasIdle() throws Exception
    {
        onLoop(() -> null);
        // the idle spell is the condition under test, not a synchronisation
        LockSupport.parkNanos(SECONDS.toNanos(2));

        assertTimerRunsOnTime(20);
    }

    @Test
    void shouldNotWakeEachTickWhileItsOnlyTimerIsFarOff() throws Exception
    {
        onLoop(() -> loop.schedule(SECONDS.toNanos(60), () -> { }));
        // waking each 8.4 ms tick would be about 60 cycles; parked until the deadline, only the two commands count
        final long cycles = cyclesWhileIdle(500);
        assertTrue(cycles <= 10, cycles + " cycles in 500 ms with one timer a minute off");
    }

    @Test
    void shouldRunAShortTimerOnTimeWhileAFarOffOneIsPending() throws Exception
    {
        onLoop(() -> loop.schedule(SECONDS.toNanos(60), () -> { }));
        // parked until the far-off deadline (or the longest park), the loop must still see the short timer's
        LockSupport.parkNanos(MILLISECONDS.toNanos(300));

        assertTimerRunsOnTime(20);
    }

    @Test
    void shouldNotSpinOnceTheEarliestTimerWasCancelled() throws Exception
    {
        onLoop(() ->
        {
            loop.cancel(loop.schedule(MILLISECONDS.toNanos(30), () -> { }));
            return loop.schedule(SECONDS.toNanos(60), () -> { });
        });
        // the cancelled deadline passes during this spell: the loop finds the next one and parks until it
        final long cycles = cyclesWhileIdle(500);
        assertTrue(cycles <= 10, cycles + " cycles in 500 ms after the earliest timer was cancelled");
    }

    @Test
    void shouldRunShortTimersOnTimeAmongMoreTimersThanItFindsTheEarliestOf() throws Exception
    {
        final long[] delaysMs = {30, 200};
        final long[] ranAt = new long[delaysMs.length];
        final CountDownLatch both = new CountDownLatch(delaysMs.length);
        final long[] scheduledAt = new long[1];
        final long[] far = onLoop(() ->
        {
            scheduledAt[0] = System.nanoTime();
            for (int i = 0; i < delaysMs.length; i++)
            {
                final int index = i;
                loop.schedule(MILLISECONDS.toNanos(delaysMs[i]), () ->
                {
                    ranAt[index] = System.nanoTime();
                    both.countDown();
                });
            }
            // more than the exact bound takes: once the 30 ms one ran, the loop polls tick by tick, and must still
            // find the 200 ms one on time
            final long[] ids = new long[1_500];
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = loop.schedule(SECONDS.toNanos(60) + i * TICK_NS, () -> { });
            }
            return ids;
        });

        assertTrue(both.await(TIMEOUT_S, SECONDS), both.getCount() + " short timers never ran");
        for (int i = 0; i < delaysMs.length; i++)
        {
            final long lateNs = ranAt[i] - scheduledAt[0] - MILLISECONDS.toNanos(delaysMs[i]);
            assertTrue(lateNs >= 0, "a " + delaysMs[i] + " ms timer ran " + lateNs + " ns early");
            assertTrue(NANOSECONDS.toMillis(lateNs) < 100,
                "a " + delaysMs[i] + " ms timer ran " + NANOSECONDS.toMillis(lateNs) + " ms late");
        }
        assertEquals(far.length, onLoop(() ->
        {
            final int count = loop.timerCount();
            for (final long id : far)
            {
                loop.cancel(id);
            }
            return count;
        }));
    }

    @Test
    void shouldRunTheNextTimerOnTimeWhenTheEarliestWasCancelled() throws Exception
    {
        final CompletableFuture<Long> ranAt = new CompletableFuture<>();
        final AtomicBoolean cancelledRan = new AtomicBoolean();
        final long delayNs = MILLISECONDS.toNanos(150);
        final long scheduledAt = onLoop(() ->
        {
            final long now = System.nanoTime();
            final long first = loop.schedule(MILLISECONDS.toNanos(10), () -> cancelledRan.set(true));
            loop.schedule(delayNs, () -> ranAt.complete(System.nanoTime()));
            loop.cancel(first);
            return now;
        });

        final long elapsedNs = ranAt.get(TIMEOUT_S, SECONDS) - scheduledAt;
        assertFalse(cancelledRan.get());
        assertTrue(elapsedNs >= delayNs, "a 150 ms timer ran after " + elapsedNs + " ns");
        assertTrue(NANOSECONDS.toMillis(elapsedNs - delayNs) < 100, "a 150 ms timer ran " +
            NANOSECONDS.toMillis(elapsedNs - delayNs) + " ms late");
    }

    @Test
    void shouldRunEveryTimerOfAScatteredSetNoSoonerAndNotMuchLaterThanItsDeadline() throws Exception
    {
        // deadlines on many ticks, some sharing one, some across a turn of the wheel (512 ticks of 8.4 ms = 4.3 s)
        final long[] delaysMs = {0, 1, 3, 9, 9, 17, 40, 41, 120, 333, 700, 1_250, 4_400, 4_500};
        final long[] ranAt = new long[delaysMs.length];
        final CountDownLatch all = new CountDownLatch(delaysMs.length);
        final long scheduledAt = onLoop(() ->
        {
            final long now = System.nanoTime();
            for (int i = 0; i < delaysMs.length; i++)
            {
                final int index = i;
                loop.schedule(MILLISECONDS.toNanos(delaysMs[i]), () ->
                {
                    ranAt[index] = System.nanoTime();
                    all.countDown();
                });
            }
            return now;
        });

        assertTrue(all.await(4_500 + SECONDS.toMillis(TIMEOUT_S), MILLISECONDS), all.getCount() + " timers never ran");
        for (int i = 0; i < delaysMs.length; i++)
        {
            final long elapsedNs = ranAt[i] - scheduledAt;
            final long delayNs = MILLISECONDS.toNanos(delaysMs[i]);
            assertTrue(elapsedNs >= delayNs, "a " + delaysMs[i] + " ms timer ran after " + elapsedNs + " ns");
            assertTrue(NANOSECONDS.toMillis(elapsedNs - delayNs) < 200,
                "a " + delaysMs[i] + " ms timer ran " + NANOSECONDS.toMillis(elapsedNs - delayNs) + " ms late");
        }
        assertEquals(0, onLoop(loop::timerCount));
    }

    /** Schedules a {@code delayMs} timer from a command: it must run no sooner, and less than 100 ms later. */
    private void assertTimerRunsOnTime(final long delayMs) throws Exception
    {
        final long delayNs = MILLISECONDS.toNanos(delayMs);
        final CompletableFuture<Long> ranAt = new CompletableFuture<>();
        final long scheduledAt = onLoop(() ->
        {
            final long now = System.nanoTime();
            loop.schedule(delayNs, () -> ranAt.complete(System.nanoTime()));
            return now;
        });

        final long elapsedNs = ranAt.get(TIMEOUT_S, SECONDS) - scheduledAt;
        assertTrue(elapsedNs >= delayNs, "a " + delayMs + " ms timer ran after " + elapsedNs + " ns");
        final long lateMs = NANOSECONDS.toMillis(elapsedNs - delayNs);
        assertTrue(lateMs < 100, "a " + delayMs + " ms timer ran " + lateMs + " ms late");
    }

    /** The loop's cycles over an idle spell of {@code ms} (the two commands that read the count included). */
    private long cyclesWhileIdle(final long ms) throws Exception
    {
        final long before = onLoop(loop::cycles);
        // the idle spell is the condition under test, not a synchronisation
        LockSupport.parkNanos(MILLISECONDS.toNanos(ms));
        return onLoop(loop::cycles) - before;
    }

    // ---- flushing ----------------------------------------------------------------------------------------------

    @Test
    void shouldFlushOnceAtTheEndOfTheCycle() throws Exception
    {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger flushes = new AtomicInteger();
        final CountDownLatch flushed = new CountDownLatch(1);
        final Flushable flushable = () ->
        {
            events.add("flush");
            flushes.incrementAndGet();
            flushed.countDown();
        };

        loop.execute(() ->
        {
            loop.flushLater(flushable);
            loop.execute(() -> events.add("command offered during the cycle"));
            events.add("command");
        });

        assertTrue(flushed.await(TIMEOUT_S, SECONDS));
        onLoop(() -> null);
        onLoop(() -> null);
        assertEquals(List.of("command", "command offered during the cycle", "flush"), events);
        assertEquals(1, flushes.get(), "a flushable runs once, not again in later cycles");
    }

    @Test
    void shouldFlushEveryFlushableInOrder() throws Exception
    {
        final List<Integer> order = new CopyOnWriteArrayList<>();
        final CountDownLatch flushed = new CountDownLatch(3);
        onLoop(() ->
        {
            for (int i = 0; i < 3; i++)
            {
                final int index = i;
                loop.flushLater(() ->
                {
                    order.add(index);
                    flushed.countDown();
                });
            }
            return null;
        });

        assertTrue(flushed.await(TIMEOUT_S, SECONDS));
        assertEquals(List.of(0, 1, 2), order);
    }

    // ---- selector ----------------------------------------------------------------------------------------------

    @Test
    void shouldKeepRegisteredChannelsWorkingAfterRebuildingTheSelector() throws Exception
    {
        final SocketChannel[] pair = connectedPair();
        final RecordingHandler handler = new RecordingHandler(pair[0]);
        final SelectionKey firstKey = onLoop(() -> handler.key = loop.register(pair[0], SelectionKey.OP_READ, handler));

        final SocketChannel[] cancelledPair = connectedPair();
        final RecordingHandler cancelledHandler = new RecordingHandler(cancelledPair[0]);
        onLoop(() ->
        {
            cancelledHandler.key = loop.register(cancelledPair[0], SelectionKey.OP_READ, cancelledHandler);
            cancelledHandler.key.cancel();
            return null;
        });

        write(pair[1], "before");
        assertEquals("before", handler.awaitReceived(6));

        onLoop(() ->
        {
            loop.rebuildSelector();
            return null;
        });

        assertEquals(1L, onLoop(loop::selectorRebuilds));
        final SelectionKey newKey = handler.rekeys.poll(TIMEOUT_S, SECONDS);
        assertTrue(handler.rekeys.isEmpty(), "rekeyed once");
        assertTrue(cancelledHandler.rekeys.isEmpty(), "a cancelled key is not moved");
        assertNotSame(firstKey, newKey);
        assertNotSame(firstKey.selector(), newKey.selector());
        assertFalse(firstKey.isValid());
        assertTrue(newKey.isValid());
        assertSame(handler, newKey.attachment());
        assertSame(pair[0], newKey.channel());
        final int ops = onLoop(() -> newKey.interestOps());
        assertEquals(SelectionKey.OP_READ, ops);

        write(pair[1], "after");
        assertEquals("beforeafter", handler.awaitReceived(11));

        final Integer opsAfterChange = onLoop(() ->
        {
            handler.key.interestOps(0);
            return handler.key.interestOps();
        });
        assertEquals(0, opsAfterChange, "the handler's new key drives the new selector");
    }

    @Test
    void shouldStopItsThreadAndCloseRegisteredChannelsOnClose() throws Exception
    {
        final SocketChannel[] pair = connectedPair();
        final RecordingHandler handler = new RecordingHandler(pair[0]);
        onLoop(() -> handler.key = loop.register(pair[0], SelectionKey.OP_READ, handler));
        final Thread loopThread = onLoop(Thread::currentThread);

        loop.close();

        assertTrue(loop.terminated().isDone());
        loopThread.join(SECONDS.toMillis(TIMEOUT_S));
        assertFalse(loopThread.isAlive());
        assertFalse(pair[0].isOpen(), "a registered channel is closed with its loop");
        final InputStream peer = pair[1].socket().getInputStream();
        assertEquals(-1, peer.read(), "the other end sees end of stream");

        loop.close(); // closing twice is harmless
    }

    @Test
    void shouldCloseFromItsOwnThread() throws Exception
    {
        final Thread loopThread = onLoop(Thread::currentThread);

        loop.execute(loop::close);

        loop.terminated().get(TIMEOUT_S, SECONDS);
        loopThread.join(SECONDS.toMillis(TIMEOUT_S));
        assertFalse(loopThread.isAlive());
    }

    @Test
    void shouldCloseALoopThatWasNeverStarted() throws Exception
    {
        final EventLoop unstarted = new EventLoop("event-loop-test-unstarted", new BufferPool(1024));
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread closer = new Thread(() ->
        {
            unstarted.close();
            closed.countDown();
        }, "closer");
        closer.setDaemon(true);
        closer.start();

        assertTrue(closed.await(TIMEOUT_S, SECONDS), "close() of an unstarted loop hangs");
        assertTrue(unstarted.terminated().isDone());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Runs {@code task} on the loop and waits for its result; checked exceptions come back as failures. */
    private <T> T onLoop(final Callable<T> task) throws Exception
    {
        return loop.submit(() ->
        {
            try
            {
                return task.call();
            }
            catch (final Exception ex)
            {
                throw new CompletionException(ex);
            }
        }).get(TIMEOUT_S, SECONDS);
    }

    /**
     * Waits until the loop's thread is inside the blocking {@code Selector.select}: its {@code parked} flag is then
     * set, so only a producer's wake-up can end the park before the 1 s idle timeout.
     */
    private static void awaitParkedInSelect(final Thread loopThread)
    {
        final long deadline = System.nanoTime() + SECONDS.toNanos(TIMEOUT_S);
        while (!inBlockingSelect(loopThread))
        {
            if (System.nanoTime() > deadline)
            {
                fail("the loop never parked in select: " + Arrays.toString(loopThread.getStackTrace()));
            }
            Thread.yield();
        }
    }

    private static boolean inBlockingSelect(final Thread thread)
    {
        for (final StackTraceElement frame : thread.getStackTrace())
        {
            if ("sun.nio.ch.SelectorImpl".equals(frame.getClassName()) && "select".equals(frame.getMethodName()))
            {
                return true;
            }
        }
        return false;
    }

    /** @return a non-blocking end for the loop and a blocking end for the test, connected over loopback. */
    private SocketChannel[] connectedPair() throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        closeables.add(server);
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        final SocketChannel client = SocketChannel.open(server.getLocalAddress());
        closeables.add(client);
        client.configureBlocking(false);
        final SocketChannel accepted = server.accept();
        closeables.add(accepted);
        accepted.socket().setSoTimeout((int)SECONDS.toMillis(TIMEOUT_S));
        return new SocketChannel[]{client, accepted};
    }

    private static void write(final SocketChannel channel, final String text) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            if (!latch.await(TIMEOUT_S, SECONDS))
            {
                throw new IllegalStateException("start signal never came");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads whatever is ready on the loop and records it; records every key it is moved to. */
    private static final class RecordingHandler implements IoHandler
    {
        final SocketChannel channel;
        final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Semaphore bytesReceived = new Semaphore(0);
        final LinkedBlockingQueue<SelectionKey> rekeys = new LinkedBlockingQueue<>();
        volatile SelectionKey key;
        private int awaited;

        RecordingHandler(final SocketChannel channel)
        {
            this.channel = channel;
        }

        @Override
        public void onReady(final int readyOps)
        {
            if ((readyOps & SelectionKey.OP_READ) == 0)
            {
                return;
            }
            try
            {
                final int read = channel.read(readBuffer.clear());
                if (read < 0)
                {
                    key.cancel();
                    return;
                }
                synchronized (received)
                {
                    received.write(readBuffer.array(), 0, read);
                }
                bytesReceived.release(read);
            }
            catch (final IOException ex)
            {
                key.cancel();
            }
        }

        @Override
        public void rekeyed(final SelectionKey key)
        {
            this.key = key;
            rekeys.add(key);
        }

        /** Test thread only: waits until {@code total} bytes have arrived in all, then returns them all. */
        String awaitReceived(final int total) throws InterruptedException
        {
            assertTrue(bytesReceived.tryAcquire(total - awaited, TIMEOUT_S, SECONDS), "expected " + total + " bytes");
            awaited = total;
            synchronized (received)
            {
                return received.toString(StandardCharsets.US_ASCII);
            }
        }
    }
}
