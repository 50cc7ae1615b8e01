package dev.warren.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Holds a long-running command ({@code warren edge}, {@code warren connector}) until the process is told to stop,
 * so the command can close its edge or connector cleanly on its own thread and exit 0.
 * <p>
 * SIGTERM and SIGINT are handled directly ({@code sun.misc.Signal}): the JVM's own handling of them runs the
 * shutdown hooks and then exits 143 or 130 whatever the hooks do, while a handled signal lets {@link #await} return,
 * the command close, and {@code main} exit 0. A second signal while closing exits at once, with 1. A shutdown hook
 * covers every other way the JVM may stop (SIGHUP, {@code System.exit} elsewhere): it releases {@link #await} and
 * waits up to {@link #CLOSE_GRACE_MS} for the command to close before the JVM goes on.
 * {@code sun.misc.Signal} is reached reflectively, because javac warns about every direct use of it with no way to
 * suppress the warning; where it is missing, the shutdown hook alone still closes cleanly (with the JVM's status).
 * <p>
 * <b>Threading.</b> {@link #await} and {@link #close} are for the command's thread; signals arrive on the JVM's
 * signal thread and the hook on its own; the latches make that safe. One barrier per process run.
 */
final class TerminationBarrier implements AutoCloseable
{
    /** How long the shutdown hook waits for the command to close; property {@code warren.shutdown.graceMs}. */
    static final long CLOSE_GRACE_MS = Long.getLong("warren.shutdown.graceMs", 30_000);

    private static final System.Logger LOG = System.getLogger("dev.warren.cli");

    private static final String[] SIGNALS = {"TERM", "INT"};

    private final Object[] previousHandlers = new Object[SIGNALS.length];
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "warren-shutdown");
    private volatile String reason = "stop requested";

    private TerminationBarrier()
    {
    }

    /** Handles SIGTERM and SIGINT and registers the shutdown hook. */
    static TerminationBarrier install()
    {
        final TerminationBarrier barrier = new TerminationBarrier();
        for (int i = 0; i < SIGNALS.length; i++)
        {
            final String signal = SIGNALS[i];
            barrier.previousHandlers[i] = handle(signal, barrier.handlerFor(signal));
            if (barrier.previousHandlers[i] == null)
            {
                LOG.log(WARNING, () -> "cannot handle SIG" + signal + "; on it the JVM closes through its shutdown " +
                    "hook and exits with its own status");
            }
        }
        Runtime.getRuntime().addShutdownHook(barrier.hook);
        return barrier;
    }

    /** Blocks until a signal or the JVM's shutdown asks the command to stop. */
    void await() throws InterruptedException
    {
        stopRequested.await();
    }

    /** Why the command is stopping, for the log: "SIGTERM", "SIGINT", "JVM shutdown". */
    String reason()
    {
        return reason;
    }

    /**
     * Says the command has closed everything: a waiting shutdown hook may let the JVM go on. Puts back the signal
     * handlers found at {@link #install}, for a caller that runs the command in-process and lives on.
     */
    @Override
    public void close()
    {
        closed.countDown();
        for (int i = 0; i < SIGNALS.length; i++)
        {
            if (previousHandlers[i] != null)
            {
                handle(SIGNALS[i], previousHandlers[i]);
            }
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // Shutdown in progress: the hook is running or has run, and returns now that closed is counted down.
        }
    }

    private void onSignal(final String signal)
    {
        if (stopRequested.getCount() == 0)
        {
            LOG.log(WARNING, () -> "SIG" + signal + " again while stopping: exiting now");
            Runtime.getRuntime().halt(WarrenMain.EXIT_FAILED);
        }
        reason = "SIG" + signal;
        stopRequested.countDown();
    }

    private void onShutdown()
    {
        if (stopRequested.getCount() != 0)
        {
            reason = "JVM shutdown";
            stopRequested.countDown();
        }
        try
        {
            if (!closed.await(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS))
            {
                LOG.log(WARNING, () -> "still closing after " + CLOSE_GRACE_MS + " ms; exiting anyway");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A {@code sun.misc.SignalHandler} calling {@link #onSignal}; null where there is no such interface. */
    private Object handlerFor(final String name)
    {
        try
        {
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final InvocationHandler onSignal = (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "handle":
                        onSignal(name);
                        return null;
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return "warren SIG" + name + " handler";
                }
            };
            return Proxy.newProxyInstance(
                TerminationBarrier.class.getClassLoader(), new Class<?>[]{handlerClass}, onSignal);
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            return null;
        }
    }

    /**
     * {@code sun.misc.Signal.handle(new Signal(name), handler)}, reflectively.
     *
     * @return the handler it replaced, or null when it could not install {@code handler}.
     */
    private static Object handle(final String name, final Object handler)
    {
        if (handler == null)
        {
            return null;
        }
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object signal = signalClass.getConstructor(String.class).newInstance(name);
            final Object previous = signalClass.getMethod("handle", signalClass, handlerClass)
                .invoke(null, signal, handler);
            LOG.log(DEBUG, () -> "handling SIG" + name);
            return previous;
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            return null;
        }
    }
}
