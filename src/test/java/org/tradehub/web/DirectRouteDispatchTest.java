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
 * benchmark's biggest cost per request), while what Spring MVC answered before (404, 405) is answered the same.
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
        assertThat(send("POST", "/test/no-such-route", "x").statusCode()).isEqualTo(404);
    }
}
