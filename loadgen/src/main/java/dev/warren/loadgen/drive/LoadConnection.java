package dev.warren.loadgen.drive;

import dev.warren.loadgen.schedule.Schedule;
import dev.warren.loadgen.target.ErrorKind;
import dev.warren.loadgen.target.Transport;
import dev.warren.loadgen.target.TransportHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One connection's load: at most one request outstanding, sent at its intended time (open loop) or as soon as the
 * previous one is complete (closed loop), timed from the intended time and from the actual send.
 * <p>
 * States: {@code CONNECTING} → {@code OPEN} (until the run begins) → {@code WAITING} (for the next intended time) ⇄
 * {@code IN_FLIGHT} → ... → {@code DONE}. A failure anywhere counts one error, loses the request in flight (if any),
 * and goes to {@code BACKOFF}, from which the connection reconnects after {@link #RECONNECT_DELAY_NS}. Requests
 * whose time came while it was down or behind are sent as soon as it can, one after another, and their latency
 * includes the wait: that is the coordinated-omission correction at work. After the window, only requests intended
 * in it are still sent (a connection that fell behind catches up), for {@link #CATCH_UP_NS} at most; those that never
 * went out are counted as unsent, and so are those of a connection that fails after the window (it does not
 * reconnect).
 * <p>
 * <b>Threading.</b> Owned by its {@link LoadLoop}'s event loop; not thread-safe. Allocates nothing per request.
 */
final class LoadConnection implements TransportHandler
{
    /** Wait before reconnecting after a failure. Property {@code warren.loadgen.reconnectDelayMs}. */
    static final long RECONNECT_DELAY_NS =
        TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.loadgen.reconnectDelayMs", 100));
    /**
     * After the window, how long a connection that fell behind may still send requests intended in it. Property
     * {@code warren.loadgen.catchUpMs}.
     */
    static final long CATCH_UP_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.loadgen.catchUpMs", 2_000));
    /**
     * Bulk requests a connection completes in a row when the socket takes each at once; then it lets the loop's other
     * connections have a turn.
     */
    static final int BULK_BURST = 16;

    private static final int CONNECTING = 1;
    private static final int OPEN = 2;
    private static final int WAITING = 3;
    private static final int IN_FLIGHT = 4;
    private static final int BACKOFF = 5;
    private static final int DONE = 6;

    private final int id;
    private final LoadLoop loop;
    private final boolean echo;
    /** {@code loadgen http}: a request is complete on {@link #onResponse}; the bytes received are only counted. */
    private final boolean http;
    private final int size;
    private final ByteBuffer request;
    private final Runnable reconnect = this::reconnect;
    private final Runnable resumeBulk = this::resumeBulk;

    private Schedule schedule;
    private Transport transport;
    private int state;
    private boolean settled;
    private long sequence;
    private long intendedNs;
    private long sentNs;
    private long stateSinceNs;
    private long writtenNs;
    private int received;
    private int inlineDepth;

    /**
     * @param id      the connection's place in its loop, from 0.
     * @param payload what every request sends; shared, never written.
     */
    LoadConnection(final int id, final LoadLoop loop, final TcpPattern pattern, final ByteBuffer payload)
    {
        this.id = id;
        this.loop = loop;
        this.echo = pattern == TcpPattern.ECHO;
        this.http = pattern == TcpPattern.HTTP;
        this.size = payload.capacity();
        this.request = payload.duplicate();
    }

    int id()
    {
        return id;
    }

    boolean isOpen()
    {
        return state == OPEN || state == WAITING || state == IN_FLIGHT;
    }

    boolean isDone()
    {
        return state == DONE;
    }

    /** Starts connecting. */
    void open()
    {
        state = CONNECTING;
        stateSinceNs = System.nanoTime();
        transport = loop.newTransport(this);
        transport.open();
    }

    /** The run begins: requests follow {@code schedule} from its first. */
    void begin(final Schedule schedule)
    {
        this.schedule = schedule;
        if (state == OPEN)
        {
            next();
        }
    }

    /** The loop's timer: fails what has waited too long. */
    void sweep(final long nowNs)
    {
        if (state == IN_FLIGHT && nowNs - sentNs > loop.plan().timeoutNs())
        {
            fail(ErrorKind.TIMEOUT, "no response within " + TimeUnit.NANOSECONDS.toMillis(loop.plan().timeoutNs()) +
                " ms");
        }
        else if (state == CONNECTING && nowNs - stateSinceNs > loop.plan().connectTimeoutNs())
        {
            fail(ErrorKind.CONNECT, "not connected within " +
                TimeUnit.NANOSECONDS.toMillis(loop.plan().connectTimeoutNs()) + " ms");
        }
    }

    /** The pacer says this connection's intended time has come. */
    void onDue(final long nowNs)
    {
        if (state == WAITING)
        {
            send(intendedNs, nowNs);
        }
    }

    /** The run is over, whatever is still going on (the loop gives up on what did not drain). */
    void stop()
    {
        if (state == IN_FLIGHT)
        {
            loop.countError(ErrorKind.TIMEOUT, "still outstanding when the run gave up waiting");
            sequence++;
        }
        finish(state == IN_FLIGHT);
    }

    @Override
    public void onOpened()
    {
        if (state != CONNECTING)
        {
            return;
        }
        state = OPEN;
        settle();
        if (loop.began())
        {
            next();
        }
    }

    @Override
    public void onSent(final long atNs)
    {
        if (state == IN_FLIGHT && !echo && !http)
        {
            complete(atNs);
        }
    }

    @Override
    public void onReceived(final int bytes, final long arrivalNs, final boolean mismatch)
    {
        loop.countBytesIn(bytes, arrivalNs);
        if (mismatch)
        {
            fail(ErrorKind.MISMATCH, "the bytes that came back differ from those sent");
            return;
        }
        if (!echo || http)
        {
            return;
        }
        if (state != IN_FLIGHT)
        {
            fail(ErrorKind.MISMATCH, bytes + " bytes came back with no request outstanding");
            return;
        }
        received += bytes;
        if (received > size)
        {
            fail(ErrorKind.MISMATCH, received + " bytes came back for a request of " + size);
        }
        else if (received == size)
        {
            complete(arrivalNs);
        }
    }

    @Override
    public void onResponse(final int status, final long arrivalNs)
    {
        if (state != IN_FLIGHT)
        {
            fail(ErrorKind.PROTOCOL, "a response (" + status + ") came with no request outstanding");
            return;
        }
        loop.countStatus(intendedNs, status);
        complete(arrivalNs);
    }

    @Override
    public void onClosed()
    {
        fail(ErrorKind.CLOSED, "the server finished the connection");
    }

    @Override
    public void onFailed(final int kind, final String detail)
    {
        fail(kind, detail);
    }

    /**
     * Sends the next request, or waits for its time, or finishes: in a closed loop when the window is over, in an
     * open loop when the next intended time is past the window. Requests intended in the window that are still to
     * go when it ends (the connection was behind) are sent while it catches up, so that their latency is recorded.
     */
    private void next()
    {
        final long nowNs = System.nanoTime();
        long intended = schedule.intendedNs(sequence);
        if (intended == Schedule.AS_SOON_AS_POSSIBLE)
        {
            if (nowNs - loop.endNs() >= 0)
            {
                finish(false);
                return;
            }
            intended = nowNs;
        }
        else if (intended - loop.endNs() >= 0 || nowNs - loop.endNs() - CATCH_UP_NS >= 0)
        {
            finish(false);
            return;
        }
        if (intended - nowNs > 0)
        {
            state = WAITING;
            intendedNs = intended;
            loop.await(this, intended);
            return;
        }
        send(intended, nowNs);
    }

    private void send(final long intended, final long nowNs)
    {
        intendedNs = intended;
        sentNs = nowNs;
        stateSinceNs = nowNs;
        received = 0;
        state = IN_FLIGHT;
        loop.countBytesOut(size, intended);
        request.clear();
        if (transport.send(request) && !echo && !http)
        {
            if (inlineDepth < BULK_BURST)
            {
                inlineDepth++;
                complete(nowNs);
                inlineDepth--;
            }
            else
            {
                writtenNs = nowNs;
                loop.execute(resumeBulk);
            }
        }
    }

    private void resumeBulk()
    {
        if (state == IN_FLIGHT)
        {
            complete(writtenNs);
        }
    }

    private void complete(final long doneNs)
    {
        loop.recordCompletion(intendedNs, sentNs, doneNs);
        sequence++;
        next();
    }

    private void fail(final int kind, final String detail)
    {
        if (state == DONE || state == BACKOFF)
        {
            return;
        }
        transport.abort();
        settle();
        loop.countError(kind, detail);
        if (state == IN_FLIGHT)
        {
            sequence++; // that request is lost
        }
        else if (state == WAITING)
        {
            loop.cancelWait(this);
        }
        state = BACKOFF;
        stateSinceNs = System.nanoTime();
        if (loop.began() && stateSinceNs - loop.endNs() >= 0)
        {
            finish(false);
        }
        else
        {
            loop.schedule(RECONNECT_DELAY_NS, reconnect);
        }
    }

    private void reconnect()
    {
        if (state != BACKOFF)
        {
            return;
        }
        if (loop.began() && System.nanoTime() - loop.endNs() >= 0)
        {
            finish(false);
        }
        else
        {
            open();
        }
    }

    /** Ends the connection; counts the requests of the window it will never send. */
    private void finish(final boolean abort)
    {
        if (state == DONE)
        {
            return;
        }
        if (state == WAITING)
        {
            loop.cancelWait(this);
        }
        if (schedule != null)
        {
            loop.countUnsent(schedule.countBetween(sequence, loop.measureStartNs(), loop.endNs()));
        }
        if (transport != null)
        {
            if (abort)
            {
                transport.abort();
            }
            else
            {
                transport.close();
            }
        }
        state = DONE;
        settle();
        loop.connectionDone(this);
    }

    /** The first outcome of the first connection attempt (or the end) lets the run's start stop waiting for it. */
    private void settle()
    {
        if (!settled)
        {
            settled = true;
            loop.connectionSettled();
        }
    }
}
