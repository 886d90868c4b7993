package org.tradehub.config;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Camel's OpenTelemetry tracer follows {@code hub.tracing.enabled} (HUB_TRACING_ENABLED, off by default).
 *
 * <p>Why Java: camel-observability-services ships {@code classpath:/config/application.properties} with
 * {@code camel.opentelemetry2.enabled=true}, and a {@code config/} file outranks our application.yml, so the yml
 * cannot turn it off. The hub ships no OpenTelemetry exporter: with the tracer on, every exchange and every step
 * paid for spans that went nowhere, and start-up paid for the tracer. An operator who collects traces (an agent or
 * an SDK with an exporter) sets HUB_TRACING_ENABLED=true. The property source sits just below the OS environment,
 * so CAMEL_OPENTELEMETRY2_ENABLED, system properties and command-line arguments still win.
 */
public class TracingDefault implements EnvironmentPostProcessor {

    static final String SOURCE = "hubTracingDefault";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MapPropertySource source = new MapPropertySource(SOURCE,
                Map.of("camel.opentelemetry2.enabled", "${hub.tracing.enabled:false}"));
        if (environment.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            environment.getPropertySources().addFirst(source);
        }
    }
}
