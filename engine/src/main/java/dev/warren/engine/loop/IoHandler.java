package dev.warren.engine.loop;

import java.nio.channels.SelectionKey;

/**
 * What a channel registered with an {@link EventLoop} does when it is ready. Called on the loop's thread only.
 */
public interface IoHandler
{
    /**
     * @param readyOps the {@link SelectionKey} ready set.
     */
    void onReady(int readyOps);

    /** The loop rebuilt its selector (see {@link EventLoop}): use this key from now on. */
    void rekeyed(SelectionKey key);
}
