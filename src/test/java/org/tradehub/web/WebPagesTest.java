package org.tradehub.web;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The firm's pages (routes/web-pages.yaml): served with a policy that lets them talk only to the hub. */
class WebPagesTest extends HubTestSupport {

    private static HttpResponse<String> fetch(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePagesLoadNothingButTheHubsOwnScriptAndStyleAndTalkOnlyToTheHub() throws Exception {
        for (String[] page : new String[][] {{"/orders/new", "order-form.js", "fetch(\"/api/orders\""},
                {"/orders/list", "orders.js", "api(\"/api/transactions?\""},
                {"/orders/events", "events.js", "api(\"PUT\", \"/api/event-subscription\""}}) {
            HttpResponse<String> html = fetch(page[0]);
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("text/html"));
            assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
            assertThat(html.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            // no inline script or style: everything the page runs comes from the hub's own files
            assertThat(html.body()).contains("src=\"/orders/assets/" + page[1] + "\"", "href=\"/orders/assets/hub.css\"")
                    .doesNotContain("<script>", "<style", "style=\"", "onclick");

            HttpResponse<String> script = fetch("/orders/assets/" + page[1]);
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("text/javascript"));
            // what the hub answers is written as text, never as markup
            assertThat(script.body()).contains(page[2], "textContent").doesNotContain("innerHTML", "eval(");
        }
        // a key per submission; the catalogue's SKUs offered in the lines
        assertThat(fetch("/orders/assets/order-form.js").body()).contains("\"Idempotency-Key\"",
                "fetch(\"/api/products?limit=500");
        assertThat(fetch("/orders/assets/hub.css").headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/css"));
    }

    @Test
    void ordersItselfLeadsToTheList() throws Exception {
        HttpResponse<String> r = fetch("/orders");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("/orders/list");
    }

    @Test
    void nothingElseOnTheClassPathIsServed() throws Exception {
        for (String path : new String[] {"/orders/assets/application.yml", "/orders/application.yml",
                "/orders/assets/orders.html", "/orders/web"}) {
            HttpResponse<String> r = fetch(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("spring", "<html");
        }
    }
}
