package dev.warren.loadgen.schedule;

import java.util.Arrays;

/**
 * The connections of one loop that are waiting for their next request's intended time, earliest first: a binary
 * min-heap of connection ids ({@code 0 <= id < capacity}) keyed by due time, with each id's place in the heap kept so
 * that one can be removed when its connection fails. Every operation is O(log n) at most and allocates nothing.
 * <p>
 * Owned by one event loop; not thread-safe.
 */
public final class DueQueue
{
    private final int[] heap;
    private final long[] dueNs;
    private final int[] positions;
    private int size;

    public DueQueue(final int capacity)
    {
        heap = new int[capacity];
        dueNs = new long[capacity];
        positions = new int[capacity];
        Arrays.fill(positions, -1);
    }

    /** Adds {@code id}, due at {@code atNs}. @throws IllegalStateException when it is already waiting. */
    public void add(final int id, final long atNs)
    {
        if (positions[id] >= 0)
        {
            throw new IllegalStateException("connection " + id + " is already waiting");
        }
        dueNs[id] = atNs;
        heap[size] = id;
        positions[id] = size;
        siftUp(size++);
    }

    /** Removes {@code id} if it is waiting. @return whether it was. */
    public boolean remove(final int id)
    {
        final int position = positions[id];
        if (position < 0)
        {
            return false;
        }
        positions[id] = -1;
        final int last = heap[--size];
        if (position < size)
        {
            heap[position] = last;
            positions[last] = position;
            siftDown(position);
            siftUp(positions[last]);
        }
        return true;
    }

    public boolean contains(final int id)
    {
        return positions[id] >= 0;
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    public int size()
    {
        return size;
    }

    /** The earliest due time, or {@link Long#MAX_VALUE} when nothing waits. */
    public long peekDueNs()
    {
        return size == 0 ? Long.MAX_VALUE : dueNs[heap[0]];
    }

    /** Removes and returns the earliest id. @throws IllegalStateException when empty. */
    public int poll()
    {
        if (size == 0)
        {
            throw new IllegalStateException("nothing is waiting");
        }
        final int id = heap[0];
        remove(id);
        return id;
    }

    private void siftUp(final int from)
    {
        int position = from;
        final int id = heap[position];
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            final int parentId = heap[parent];
            if (dueNs[parentId] - dueNs[id] <= 0)
            {
                break;
            }
            heap[position] = parentId;
            positions[parentId] = position;
            position = parent;
        }
        heap[position] = id;
        positions[id] = position;
    }

    private void siftDown(final int from)
    {
        int position = from;
        final int id = heap[position];
        while (true)
        {
            int child = 2 * position + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && dueNs[heap[child + 1]] - dueNs[heap[child]] < 0)
            {
                child++;
            }
            final int childId = heap[child];
            if (dueNs[id] - dueNs[childId] <= 0)
            {
                break;
            }
            heap[position] = childId;
            positions[childId] = position;
            position = child;
        }
        heap[position] = id;
        positions[id] = position;
    }
}
