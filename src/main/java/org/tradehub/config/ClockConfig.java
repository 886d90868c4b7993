package org.tradehub.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class ClockConfig {
    /** One clock for timestamps and expiries, so tests can move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
