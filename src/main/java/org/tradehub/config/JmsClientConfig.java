package org.tradehub.config;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The Artemis client behind Spring Boot's JMS connection factory, embedded or remote.
 */
@Configuration
public class JmsClientConfig {

    /**
     * Caches queue lookups. Camel resolves the destination by name on every send, and without the cache the Artemis
     * client asks the broker whether the queue exists each time: a blocking round trip that queues behind journal
     * syncs (the benchmark measured 27 ms per lookup, more than half of the intake stage's waiting). Queues are
     * created by the broker's auto-create settings, never deleted by the hub, so a cached lookup stays true.
     */
    @Bean
    static BeanPostProcessor artemisDestinationCache() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof CachingConnectionFactory caching
                        && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory artemis) {
                    artemis.setCacheDestinations(true);
                }
                return bean;
            }
        };
    }
}
