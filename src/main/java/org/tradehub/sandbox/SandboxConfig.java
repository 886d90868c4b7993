package org.tradehub.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.tradehub.config.HubProperties;

/** The sandbox peers of the embedded default; absent in production (hub.sandbox.enabled=false). */
@Configuration
@ConditionalOnProperty(name = "hub.sandbox.enabled", havingValue = "true")
public class SandboxConfig {

    @Bean(destroyMethod = "close")
    SandboxSingleWindow sandboxSingleWindow(HubProperties hub) {
        var gbCds = hub.singleWindow().gbCds();
        return new SandboxSingleWindow(hub.mappingsDir().resolve("schemas"), gbCds.bearerToken(),
                URI.create(hub.publicUrl() + "/callbacks/gb-cds/notifications"), gbCds.callbackToken(),
                Duration.ofMillis(hub.sandbox().notificationDelayMs()));
    }

    /** Serves the sandbox single window over HTTP exactly where the real API's path would be. */
    @Bean("sandboxGbCds")
    SandboxHttp sandboxGbCds(SandboxSingleWindow singleWindow) {
        return new SandboxHttp(singleWindow);
    }

    public static final class SandboxHttp {
        private final SandboxSingleWindow singleWindow;

        SandboxHttp(SandboxSingleWindow singleWindow) {
            this.singleWindow = singleWindow;
        }

        public void submit(Exchange exchange) {
            Message in = exchange.getMessage();
            Map<String, String> headers = new LinkedHashMap<>();
            in.getHeaders().forEach((k, v) -> {
                if (v != null && !k.startsWith("Camel")) {
                    headers.put(k, v.toString());
                }
            });
            SandboxResponse response = singleWindow.submit(headers, in.getBody(byte[].class));
            in.removeHeaders("*");
            response.headers().forEach(in::setHeader);
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
            in.setBody(response.body());
        }
    }
}
