package org.tradehub.ledger;

/**
 * A failure that names the timeline event its transaction gets when the message is parked on the dead-letter queue
 * (for example MDN_OVERDUE), instead of the generic DELIVERY_PARKED.
 */
public interface ParkedFailure {
    String timelineEventType();
}
