package io.vigil.agent.trace.otlp;

/**
 * The HPACK dynamic table of one direction of a connection (RFC 7541 2.3.2, 4): newest entry at
 * index 1, sized in octets, oldest entries evicted first.
 */
final class HpackDynamicTable {

  private HeaderField[] ring = new HeaderField[16];
  /** Slot of the oldest entry. */
  private int head;
  private int length;
  private int size;
  private int maxSize;

  HpackDynamicTable(int maxSize) {
    this.maxSize = maxSize;
  }

  int length() {
    return length;
  }

  /** Octets used, as RFC 7541 4.1 counts them. */
  int size() {
    return size;
  }

  int maxSize() {
    return maxSize;
  }

  /** The entry at {@code index}, 1 (newest) to {@link #length()}. */
  HeaderField get(int index) {
    return ring[(head + length - index) % ring.length];
  }

  /** Adds an entry, evicting old ones; an entry larger than the table empties it (RFC 7541 4.4). */
  void add(HeaderField field) {
    int fieldSize = field.hpackSize();
    if (fieldSize > maxSize) {
      clear();
      return;
    }
    evictUntilFree(fieldSize);
    if (length == ring.length) {
      grow();
    }
    ring[(head + length) % ring.length] = field;
    length++;
    size += fieldSize;
  }

  void setMaxSize(int maxSize) {
    this.maxSize = maxSize;
    evictUntilFree(0);
  }

  private void evictUntilFree(int needed) {
    while (length > 0 && size + needed > maxSize) {
      evictOldest();
    }
  }

  private void evictOldest() {
    HeaderField oldest = ring[head];
    ring[head] = null;
    head = (head + 1) % ring.length;
    length--;
    size -= oldest.hpackSize();
  }

  private void clear() {
    while (length > 0) {
      evictOldest();
    }
  }

  private void grow() {
    HeaderField[] bigger = new HeaderField[ring.length * 2];
    for (int i = 0; i < length; i++) {
      bigger[i] = ring[(head + i) % ring.length];
    }
    ring = bigger;
    head = 0;
  }
}
