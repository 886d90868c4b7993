package org.tradehub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.tradehub.support.HubTestSupport;

/**
 * Every HTTP route of the hub (webhooks, callbacks, the APIs, AS2, the sandbox peers) answers a body sent with curl's
 * default Content-Type, a form, that is not form data: with a 4xx or its usual answer, never a 5xx, and outside the
 * routes that answer as their protocol wants (AS2's receipt, the sandbox peers' imitations), as problem details.
 * Camel's HTTP binding used to read such a body as form fields before any route ran, and failed with a bare 500.
 */
class FormBodiesTest extends HubTestSupport {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Autowired
    CamelContext camel;
    @Value("${hub.as2.port}")
    int as2Port;
    @Value("${hub.as2.path}")
    String as2Path;

    @Test
    void noRouteAnswersABodyThatIsNotFormDataSentAsAFormWithA5xx() throws Exception {
        TestTenant tenant = newTenant();
        List<String> routes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : camel.getEndpoints()) {
            if (!(endpoint instanceof PlatformHttpEndpoint http)) {
                continue;
            }
            String path = ("/" + http.getPath()).replaceFirst("^//", "/").replaceAll("\\{[^}]+}", "x");
            String methods = http.getHttpMethodRestrict() == null ? "POST" : http.getHttpMethodRestrict();
            for (String method : methods.split(",")) {
                if (!List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                routes.add(method + " " + path);
                String url = (path.startsWith(as2Path) ? "http://localhost:" + as2Port : base()) + path;
                // with credentials, so the APIs get as far as reading the body
                String token = path.startsWith("/admin/") ? ADMIN_TOKEN
                        : path.startsWith("/callbacks/gb-cds/") ? "sandbox-callback-token" : tenant.apiKey();
                for (String body : new String[] {"garbage", "{\"id\": 1}", "a=%zz&b"}) {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", FORM).header("Authorization", "Bearer " + token)
                            .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String type = r.headers().firstValue("Content-Type").orElse("");
                    boolean ownProtocol = path.equals(as2Path) || path.startsWith("/sandbox/");
                    if (r.statusCode() >= 500
                            || r.statusCode() >= 400 && !ownProtocol && !type.startsWith("application/problem+json")) {
                        failures.add(method + " " + path + " [" + body + "]: " + r.statusCode() + " " + type + " "
                                + r.body());
                    }
                }
            }
        }
        assertThat(routes).as("the hub's HTTP routes").contains("POST /webhooks/shopify/x",
                "POST /webhooks/woocommerce/x", "POST /callbacks/gb-cds/notifications", "POST " + as2Path,
                "PUT /api/profile", "POST /admin/tenants");
        assertThat(failures).isEmpty();
    }
}
