package org.tradehub.as2;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With its own port, the AS2 listener serves only AS2 there, and AS2 is not served on the main port: a partner or a
 * scanner that knocks on the wrong door gets the same 404 problem details as any path nothing serves.
 */
class As2PortTest extends HubTestSupport {

    @Value("${hub.as2.port}")
    int as2Port;

    @Value("${hub.as2.path:/as2}")
    String as2Path;

    @Test
    void theApiIsNotServedOnTheAs2PortNorAs2OnTheMainPort() throws Exception {
        assertNotFound(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + as2Port + "/api/transactions"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()));
        assertNotFound(HTTP.send(HttpRequest.newBuilder(URI.create(base() + as2Path))
                .POST(HttpRequest.BodyPublishers.ofString("not AS2")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static void assertNotFound(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(404);
    }
}
