package org.tradehub.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Writes RFC 9457 problem details as the HTTP answer for whatever made an HTTP route fail: by the error policy
 * (routes/error-policy.yaml) for a route, and by the servlet layer for a request no route got to run, so every HTTP
 * input answers failures the same way.
 */
@Component("problemDetails")
public class ProblemDetails {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemDetails.class);
    private static final String CONTENT_TYPE = "application/problem+json";

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
        HubProblemException problem = problemFor(cause, exchange.getFromRouteId());
        var message = exchange.getMessage();
        byte[] body = json(problem, message.getHeader(Exchange.HTTP_PATH, String.class));
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        if (problem.retryAfterSeconds() != null) {
            message.setHeader(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds());
        }
        message.setBody(body);
    }

    /** The same answer for a request that no route runs for: the servlet filters and the route dispatcher write it. */
    public void write(HttpServletResponse response, HubProblemException problem, String instance) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(CONTENT_TYPE);
        if (problem.retryAfterSeconds() != null) {
            response.setIntHeader(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds());
        }
        byte[] body = json(problem, instance);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] json(HubProblemException problem, String instance) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type().toString());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("instance", instance);
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        return json.writeValueAsBytes(body);
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

    /** The refusal a failure stands for; any failure that is not one is a 503 (logged, as it is unexpected). */
    public HubProblemException problemFor(Throwable cause, String where) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HubProblemException p) {
                return p;
            }
            if (t instanceof RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                return HubProblemException.tooLarge(tooLarge.limit());
            }
        }
        // The sender may retry: nothing was queued. Say so without leaking internals.
        LOG.error("request on {} failed", where, cause);
        return HubProblemException.temporarilyUnavailable(
                "The hub could not accept the request durably just now; nothing was queued. Please retry.");
    }
}
