package org.tradehub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;

/**
 * Camel's HTTP routes are served on the thread that read the request, with no Spring MVC async hand-off (the
 * benchmark's biggest cost per request), while what Spring MVC answered before (404, 405) is answered the same; a
 * route that is not consuming is answered 503 with Retry-After, never 404.
 */
class DirectRouteDispatchTest extends HubTestSupport {

    private static final String ROUTE = "test-direct-dispatch";

    @Autowired
    CamelContext camel;

    @BeforeEach
    void addRoute() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/test/dispatch/{id}?httpMethodRestrict=POST").routeId(ROUTE)
                        .process(e -> {
                            HttpServletRequest request = e.getIn(PlatformHttpMessage.class).getRequest();
                            e.getMessage().setBody(e.getIn().getHeader("id") + " " + e.getIn().getBody(String.class)
                                    + " async=" + request.isAsyncStarted() + " thread=" + Thread.currentThread().getName());
                        });
            }
        });
        // the supervising route controller does not start a route added after start-up by itself
        camel.getRouteController().startRoute(ROUTE);
        for (int i = 0; i < 200 && !camel.getRouteController().getRouteStatus(ROUTE).isStarted(); i++) {
            Thread.sleep(50);
        }
        assertThat(camel.getRouteController().getRouteStatus(ROUTE).isStarted()).isTrue();
    }

    @AfterEach
    void removeRoute() throws Exception {
        camel.getRouteController().stopRoute(ROUTE);
        camel.removeRoute(ROUTE);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRouteRunsOnTheRequestThreadWithItsPathParameterAndBody() throws Exception {
        HttpResponse<String> r = send("POST", "/test/dispatch/42", "hello");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("42 hello async=false thread=http-nio-");
    }

    @Test
    void whatNoRouteClaimsIsAnsweredBySpringMvcAsBefore() throws Exception {
        assertThat(send("GET", "/test/dispatch/42", null).statusCode()).isEqualTo(405);
        assertNotFound(send("POST", "/test/no-such-route", "x"));
    }

    /**
     * A stopped route (being restarted by the supervising route controller, say) answers 503 with Retry-After, as
     * the hub does while it starts: a web shop gives a webhook up after repeated 4xx, and a 404 said the webhook does
     * not exist. Its path stays mapped when the route stops, and its stopped consumer used to run the route anyway.
     */
    @Test
    void aStoppedWebhookRouteAnswers503WithRetryAfterAndUnknownPathsStay404() throws Exception {
        String webhook = "in-webhook-shopify";
        camel.getRouteController().stopRoute(webhook);
        try {
            assertNotConsuming(send("POST", "/webhooks/shopify/some-shop", "{}"));
            assertNotFound(send("POST", "/webhooks/no-such-platform/some-shop", "{}"));
        } finally {
            camel.getRouteController().startRoute(webhook);
        }
        // unsigned: the route runs again and refuses it
        assertThat(send("POST", "/webhooks/shopify/some-shop", "{}").statusCode()).isEqualTo(401);
    }

    /** A route that exists but has not started yet, as every route while the hub starts: its path was a 404. */
    @Test
    void aRouteThatHasNotStartedYetAnswers503WithRetryAfter() throws Exception {
        String later = "test-direct-dispatch-later";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/test/later/{id}?httpMethodRestrict=POST").routeId(later).autoStartup(false)
                        .setBody(constant("started"));
            }
        });
        try {
            assertNotConsuming(send("POST", "/test/later/1", "x"));
            assertNotFound(send("POST", "/test/sooner/1", "x"));

            camel.getRouteController().startRoute(later);
            HttpResponse<String> started = send("POST", "/test/later/1", "x");
            assertThat(started.statusCode()).isEqualTo(200);
            assertThat(started.body()).isEqualTo("started");
        } finally {
            camel.getRouteController().stopRoute(later);
            camel.removeRoute(later);
        }
    }

    private static void assertNotConsuming(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(JSON.readTree(r.body()).get("type").asText()).isEqualTo("urn:tradehub:problem:not-ready");
    }

    private static void assertNotFound(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
    }
}
