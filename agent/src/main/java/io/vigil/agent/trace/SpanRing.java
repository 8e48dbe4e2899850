package io.vigil.agent.trace;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue for many producers and one consumer, on a fixed array: what the span processor
 * needs between request threads and its export thread, without the node a linked queue allocates
 * for every element.
 *
 * <p>A producer first reserves room on a counter ({@link #offer} fails when {@code capacity}
 * elements are waiting), then claims the next position and publishes its element in the position's
 * slot. The consumer takes slots in position order, clears each, and gives the room back only after
 * clearing, so a producer that got room always finds its slot empty: every element still in a slot
 * holds a reservation. A slot claimed but not yet published ends a {@link #drainTo}; the element is
 * taken by the next one.
 *
 * @param <E> element type
 */
final class SpanRing<E> {

  private final AtomicReferenceArray<E> slots;
  private final int mask;
  private final int capacity;
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicLong tail = new AtomicLong();
  /** Only the consumer moves it. */
  private long head;

  SpanRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be 1 or more, was " + capacity);
    }
    this.capacity = capacity;
    int slotCount = Integer.highestOneBit(capacity);
    if (slotCount < capacity) {
      slotCount <<= 1;
    }
    this.slots = new AtomicReferenceArray<>(slotCount);
    this.mask = slotCount - 1;
  }

  /**
   * Adds {@code element} unless {@code capacity} elements wait already.
   *
   * @return the number waiting with this one, or 0 if it was not added
   */
  int offer(E element) {
    int waiting = reserved.incrementAndGet();
    if (waiting > capacity) {
      reserved.decrementAndGet();
      return 0;
    }
    long position = tail.getAndIncrement();
    slots.lazySet((int) position & mask, element);
    return waiting;
  }

  /**
   * Moves up to {@code max} elements, oldest first, into {@code into}. Consumer thread only.
   *
   * @return the number moved
   */
  int drainTo(List<? super E> into, int max) {
    int moved = 0;
    while (moved < max) {
      int slot = (int) head & mask;
      E element = slots.get(slot);
      if (element == null) {
        break; // empty, or claimed and not yet published
      }
      slots.lazySet(slot, null);
      head++;
      into.add(element);
      moved++;
    }
    if (moved > 0) {
      // After the slots are cleared: room given back is room whose slot is empty.
      reserved.addAndGet(-moved);
    }
    return moved;
  }

  /** Elements waiting, counting those whose producer is still publishing. */
  int size() {
    return reserved.get();
  }
}
