package org.tradehub.intake;

/**
 * JMS priorities of the order pipeline: orders that come in a batch yield to orders that come one at a time, on the
 * intake queue and on the queues each order goes on to (declarations, services, order responses). Thousands of firms
 * share those queues: without this, one firm's file of 10,000 orders would hold every other firm's web shop order and
 * typed-in order behind it, for minutes. Within a priority the queue stays first in, first out. README: File drops.
 */
public final class OrderPriority {

    /** An order that came alone: a webhook, manual entry, AS2, a one-order interchange, a replay. The JMS default. */
    public static final int SINGLE = 4;
    /** An order of a batch: a file's records, the orders of an interchange that holds several or came in a file. */
    public static final int BATCH = 1;

    private OrderPriority() {}

    /** The priority of the orders of one interchange, which came with {@code interchangePriority}. */
    public static int ofInterchangeOrders(Integer interchangePriority, int orders) {
        return orders > 1 || interchangePriority != null && interchangePriority < SINGLE ? BATCH : SINGLE;
    }
}
