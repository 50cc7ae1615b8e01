package dev.warren.loadgen.schedule;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DueQueueTest
{
    @Test
    void shouldGiveTheEarliestFirst()
    {
        final DueQueue queue = new DueQueue(4);
        queue.add(0, 30);
        queue.add(1, 10);
        queue.add(2, 20);
        assertEquals(10, queue.peekDueNs());
        assertEquals(1, queue.poll());
        assertEquals(2, queue.poll());
        assertEquals(0, queue.poll());
        assertTrue(queue.isEmpty());
        assertEquals(Long.MAX_VALUE, queue.peekDueNs());
    }

    @Test
    void shouldRemoveAWaitingConnection()
    {
        final DueQueue queue = new DueQueue(3);
        queue.add(0, 10);
        queue.add(1, 20);
        assertTrue(queue.remove(0));
        assertFalse(queue.remove(0));
        assertFalse(queue.contains(0));
        assertEquals(20, queue.peekDueNs());
    }

    @Test
    void shouldRefuseAConnectionTwice()
    {
        final DueQueue queue = new DueQueue(2);
        queue.add(1, 5);
        assertThrows(IllegalStateException.class, () -> queue.add(1, 6));
        queue.poll();
        assertThrows(IllegalStateException.class, queue::poll);
    }

    @Test
    void shouldOrderAcrossTheNanoTimeWrap()
    {
        final DueQueue queue = new DueQueue(2);
        queue.add(0, Long.MIN_VALUE + 5); // after the wrap: later
        queue.add(1, Long.MAX_VALUE - 5);
        assertEquals(1, queue.poll());
    }

    /** Operations: a non-negative value adds (id = value % 16, due = value / 16), a negative one removes -value-1. */
    @Property(tries = 500)
    void shouldAgreeWithAPriorityQueue(
        @ForAll @Size(max = 200) final List<@IntRange(min = -16, max = 16_000) Integer> operations)
    {
        final int capacity = 16;
        final DueQueue queue = new DueQueue(capacity);
        final long[] due = new long[capacity];
        final PriorityQueue<Integer> model = new PriorityQueue<>(
            Comparator.<Integer>comparingLong(id -> due[id]).thenComparingInt(id -> id));
        for (final int operation : operations)
        {
            if (operation >= 0)
            {
                final int id = operation % capacity;
                if (model.contains(id))
                {
                    // the queue's earliest must match whichever id the model would give
                    final int polled = queue.poll();
                    final Integer expected = model.peek();
                    assertEquals(due[expected], due[polled]);
                    model.remove(polled);
                    continue;
                }
                due[id] = operation / capacity;
                queue.add(id, due[id]);
                model.add(id);
            }
            else
            {
                final int id = -operation - 1;
                assertEquals(model.remove(id), queue.remove(id));
            }
            assertEquals(model.size(), queue.size());
            assertEquals(model.isEmpty() ? Long.MAX_VALUE : due[model.peek()], queue.peekDueNs());
        }
        long last = Long.MIN_VALUE;
        while (!queue.isEmpty())
        {
            final long next = queue.peekDueNs();
            assertTrue(next >= last);
            last = next;
            queue.poll();
        }
    }
}
