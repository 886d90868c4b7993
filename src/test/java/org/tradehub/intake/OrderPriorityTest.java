package org.tradehub.intake;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderPriorityTest {

    @Test
    void anInterchangesOrdersAreABatchWhenItHoldsSeveralOrCameInAFile() {
        assertThat(OrderPriority.ofInterchangeOrders(4, 1)).as("one order over AS2").isEqualTo(OrderPriority.SINGLE);
        assertThat(OrderPriority.ofInterchangeOrders(null, 1)).isEqualTo(OrderPriority.SINGLE);
        assertThat(OrderPriority.ofInterchangeOrders(4, 2)).as("several orders").isEqualTo(OrderPriority.BATCH);
        assertThat(OrderPriority.ofInterchangeOrders(OrderPriority.BATCH, 1)).as("in a file").isEqualTo(OrderPriority.BATCH);
        assertThat(OrderPriority.BATCH).isLessThan(OrderPriority.SINGLE);
    }
}
