package org.tradehub.config;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.jms.Destination;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.support.destination.DestinationResolver;

/**
 * The Artemis client behind Spring Boot's JMS connection factory, embedded or remote.
 */
@Configuration
public class JmsClientConfig {

    /**
     * Queues and topics by name, made once for the whole process without asking the broker. Camel and Spring resolve
     * the destination by name on every send, through {@code Session.createQueue}, and the Artemis client asks the
     * broker whether the queue exists unless that very session has looked it up before: a blocking round trip that
     * queues behind journal syncs (27-40 ms each under load). Its cache is per session, and the pool of cached
     * sessions is used round-robin, so with hundreds of sessions the lookups never stopped (JFR, end to end: the
     * intake stage's consumers waited longer on lookups than on their commits). A producer still checks an address
     * once per connection, and the broker auto-creates the queue on first use, as before.
     */
    @Bean
    DestinationResolver artemisDestinations() {
        ConcurrentMap<String, Destination> queues = new ConcurrentHashMap<>();
        ConcurrentMap<String, Destination> topics = new ConcurrentHashMap<>();
        return (session, name, pubSub) -> pubSub
                ? topics.computeIfAbsent(name, ActiveMQDestination::createTopic)
                : queues.computeIfAbsent(name, ActiveMQDestination::createQueue);
    }
}
