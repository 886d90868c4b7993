package org.tradehub.web;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes RFC 9457 problem details as the HTTP answer for whatever made an HTTP route fail. Used by the error
 * policy only, so every HTTP input answers failures the same way.
 */
@Component("problemDetails")
public class ProblemDetails {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemDetails.class);

    private final ObjectMapper json;

    public ProblemDetails(ObjectMapper json) {
        this.json = json;
    }

    public void render(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (alreadyQueued(cause)) {
            String receipt = exchange.getMessage().getHeader("hubReceiptId", String.class);
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody("{\"status\":\"queued\",\"duplicate\":true,\"receiptId\":\"" + receipt + "\"}");
            return;
        }
        HubProblemException problem = classify(exchange, cause);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type().toString());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("instance", exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        message.setBody(json.writeValueAsBytes(body));
    }

    /** The broker refused a send as a copy of a message it already holds: the delivery is durably queued. */
    private static boolean alreadyQueued(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }

    private static HubProblemException classify(Exchange exchange, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HubProblemException p) {
                return p;
            }
            if (t instanceof RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                return HubProblemException.tooLarge(tooLarge.limit());
            }
        }
        // The sender may retry: nothing was queued. Say so without leaking internals.
        LOG.error("request on {} failed", exchange.getFromRouteId(), cause);
        return new HubProblemException(503, "temporarily-unavailable", "Temporarily unavailable",
                "The hub could not accept the request durably just now; nothing was queued. Please retry.");
    }
}
