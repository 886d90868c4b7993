package org.tradehub.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error policy's answer when an HTTP route fails for a reason of the hub's own (the broker refused the durable
 * send, say): a 503 problem that tells the sender nothing was queued and when to try again, so a web shop retries
 * instead of counting a failed delivery.
 */
class ProblemDetailsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anUnexpectedFailureIsA503WithRetryAfterAndNoInternals() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new IllegalStateException("AMQ219014: Timed out after waiting 30000 ms for response"));
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/webhooks/shopify/demo");

        new ProblemDetails(json).render(exchange);

        var answer = exchange.getMessage();
        assertThat(answer.getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(answer.getHeader("Retry-After")).isEqualTo(5);
        assertThat(answer.getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        JsonNode problem = json.readTree(answer.getBody(byte[].class));
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("type").asText()).endsWith("temporarily-unavailable");
        assertThat(problem.get("detail").asText()).contains("nothing was queued").doesNotContain("AMQ219014");
        assertThat(problem.get("instance").asText()).isEqualTo("/webhooks/shopify/demo");
    }
}
