package org.tradehub.config;

import java.nio.file.Path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tradehub.canonical.CanonicalValidator;
import org.tradehub.canonical.CodeLists;

/** The code lists and the canonical schema are read once, from the mappings folder, at start-up. */
@Configuration
public class CanonicalConfig {

    @Bean
    CodeLists codeLists(HubProperties hub) {
        return new CodeLists(hub.mappingsDir().resolve("codelists"));
    }

    @Bean
    CanonicalValidator canonicalValidator(CodeLists codeLists, HubProperties hub) {
        return new CanonicalValidator(codeLists, hub.mappingsDir().resolve("schemas/trade-transaction-1.xsd"));
    }
}
