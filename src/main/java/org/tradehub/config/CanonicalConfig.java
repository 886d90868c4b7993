package org.tradehub.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tradehub.canonical.CanonicalValidator;

@Configuration
public class CanonicalConfig {
    @Bean
    CanonicalValidator canonicalValidator() {
        return new CanonicalValidator();
    }
}
