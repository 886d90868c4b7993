package org.tradehub.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.config.HubProperties;

/**
 * What every JSON API handler needs: the admin token check, reading a JSON object body, typed query parameters with
 * plain-language 400s, and writing the JSON answer with only the headers we mean to send.
 */
@Component
public class ApiSupport {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final ObjectMapper json;
    private final byte[] adminToken;

    public ApiSupport(ObjectMapper json, HubProperties hub) {
        this.json = json;
        this.adminToken = hub.adminToken() == null ? new byte[0] : hub.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    public void requireAdmin(Message in) {
        if (!BearerToken.matches(in.getHeader("Authorization", String.class), adminToken)) {
            throw HubProblemException.unauthorized("The admin API needs 'Authorization: Bearer <HUB_ADMIN_TOKEN>'.");
        }
    }

    /** The request body as a JSON object; an empty body is an empty object when {@code emptyAllowed}. */
    public JsonNode body(Message in, boolean emptyAllowed) {
        byte[] bytes = bytes(in, "JSON", "application/json");
        if (emptyAllowed && (bytes == null || bytes.length == 0)) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = bytes == null ? null : json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw HubProblemException.badRequest("The body must be a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw HubProblemException.badRequest("The body is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * The request body as sent, in a format that is not a form: a body sent as a form (curl's default Content-Type)
     * is refused with a 415 naming the type to send. Camel's HTTP binding leaves the body of a PUT, PATCH or DELETE
     * sent as a form unread (it expects a servlet filter to have taken the form), so the API would take such a body
     * for an empty one; a POST's it reads, but the same rule holds for every method.
     */
    public static byte[] bytes(Message in, String format, String contentType) {
        String type = in.getHeader(Exchange.CONTENT_TYPE, "", String.class);
        Long length = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (type.regionMatches(true, 0, FORM, 0, FORM.length()) && (length == null || length > 0)) {
            throw HubProblemException.unsupportedMediaType("The body must be " + format + ", sent with Content-Type: "
                    + contentType + "; it came as " + FORM + " (curl's default: add -H 'Content-Type: "
                    + contentType + "').");
        }
        return in.getBody(byte[].class);
    }

    public static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw HubProblemException.badRequest("'" + field + "' is required.");
            }
            return null;
        }
        return v.asText().trim();
    }

    /** An ISO 8601 instant named {@code name}, or null when blank. */
    public static Instant instant(String name, String value) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw HubProblemException.badRequest("'" + name + "' must be an ISO 8601 instant such as 2026-11-23T00:00:00Z.");
        }
    }

    /** The {@code limit} query parameter: {@code fallback} when absent, else 1..max. */
    public static int limit(String value, int fallback, int max) {
        try {
            int n = value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
            if (n < 1 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HubProblemException.badRequest("'limit' must be a whole number from 1 to " + max + ".");
        }
    }

    /** Replaces every header with the status (if any) and the content type, and writes the body as JSON. */
    public void reply(Message in, Integer status, Object body) {
        in.removeHeaders("*");
        if (status != null) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            in.setBody(json.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectMapper json() {
        return json;
    }
}
