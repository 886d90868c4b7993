package org.tradehub.config;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Turns a message taken from a queue into a plain Camel message (same body, same headers, JMS ones included), as the
 * first step of every queue consumer (routes/error-policy.yaml). With redelivery on, Camel copies the exchange before
 * each step; copying a JmsMessage makes one without its JMS message, and camel-jms 4.17 then reads "redelivered" from
 * that null and catches the NullPointerException: a filled-in stack trace per step, about 25 per order in the intake
 * stage (the benchmark's exception profile). A plain message copies for the price of its headers.
 */
@Component("plainQueueMessage")
public class PlainQueueMessage implements Processor {

    @Override
    public void process(Exchange exchange) {
        if (exchange.getMessage() instanceof JmsMessage jms) {
            DefaultMessage plain = new DefaultMessage(exchange);
            plain.copyFrom(jms);
            exchange.setMessage(plain);
        }
    }
}
