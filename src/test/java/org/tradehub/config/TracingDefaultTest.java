package org.tradehub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TracingDefaultTest {

    /** What camel-observability-services ships in classpath:/config/application.properties. */
    private static StandardEnvironment withStarterDefaults(Map<String, Object> hubYml) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addLast(new MapPropertySource("starter-config", Map.of("camel.opentelemetry2.enabled", "true")));
        env.getPropertySources().addLast(new MapPropertySource("application.yml", hubYml));
        new TracingDefault().postProcessEnvironment(env, null);
        return env;
    }

    @Test
    void tracerIsOffByDefaultAlthoughTheStarterTurnsItOn() {
        assertEquals("false", withStarterDefaults(Map.of()).getProperty("camel.opentelemetry2.enabled"));
    }

    @Test
    void hubTracingEnabledTurnsItOn() {
        assertEquals("true", withStarterDefaults(Map.of("hub.tracing.enabled", "true"))
                .getProperty("camel.opentelemetry2.enabled"));
    }

    @Test
    void anExplicitCamelSettingStillWins() {
        StandardEnvironment env = withStarterDefaults(Map.of());
        env.getPropertySources().addFirst(new MapPropertySource("command-line", Map.of("camel.opentelemetry2.enabled", "true")));
        assertEquals("true", env.getProperty("camel.opentelemetry2.enabled"));
    }
}
