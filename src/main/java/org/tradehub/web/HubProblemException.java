package org.tradehub.web;

import java.net.URI;
import java.util.List;

/**
 * A request the hub refuses, with what RFC 9457 problem details need to tell the caller why.
 * Thrown by guards and handlers; the error policy (routes/error-policy.yaml) turns it into the HTTP answer.
 */
public class HubProblemException extends RuntimeException {

    /** Seconds a caller of a temporarily unavailable hub is asked to wait. */
    static final int TEMPORARY_RETRY_AFTER_SECONDS = 5;

    private final int status;
    private final String type;
    private final String title;
    /** Seconds after which the caller may try again (the Retry-After header), or null to say nothing. */
    private final Integer retryAfterSeconds;
    /** What is wrong, one entry per field, for a request whose content is refused (the "errors" member); or empty. */
    private final List<String> errors;

    public HubProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, null, List.of());
    }

    private HubProblemException(int status, String type, String title, String detail, Integer retryAfterSeconds,
                                List<String> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
        this.errors = List.copyOf(errors);
    }

    public static HubProblemException unauthorized(String detail) {
        return new HubProblemException(401, "unauthorized", "Unauthorized", detail);
    }

    public static HubProblemException notFound(String detail) {
        return new HubProblemException(404, "not-found", "Not found", detail);
    }

    public static HubProblemException badRequest(String detail) {
        return new HubProblemException(400, "bad-request", "Bad request", detail);
    }

    /** A body that is not what the endpoint takes, with each thing wrong in it (field and reason). */
    public static HubProblemException invalidContent(String detail, List<String> errors) {
        return new HubProblemException(400, "invalid-content", "Invalid content", detail, null, errors);
    }

    public static HubProblemException tooLarge(long limit) {
        return new HubProblemException(413, "body-too-large", "Request body too large",
                "The request body exceeds the limit of " + limit + " bytes for this endpoint.");
    }

    public static HubProblemException unsupportedMediaType(String detail) {
        return new HubProblemException(415, "unsupported-media-type", "Unsupported media type", detail);
    }

    /**
     * The path belongs to a route that is not taking requests yet (the hub is starting) or just now (the route is
     * stopped or being restarted). A 503 with Retry-After, never a 404: a web shop gives a webhook up after repeated
     * 4xx answers, and nothing is wrong with the request.
     */
    public static HubProblemException notConsuming(int retryAfterSeconds) {
        return new HubProblemException(503, "not-ready", "Not ready",
                "This endpoint is not taking requests just now (the hub is starting, or the endpoint is being "
                        + "restarted); nothing was received. Please retry in " + retryAfterSeconds + " seconds.",
                retryAfterSeconds, List.of());
    }

    /**
     * The hub failed to do its part just now (nothing was queued or changed); the caller may send the same request
     * again. Retry-After tells a sender that honours it when, instead of leaving it to guess.
     */
    public static HubProblemException temporarilyUnavailable(String detail) {
        return new HubProblemException(503, "temporarily-unavailable", "Temporarily unavailable", detail,
                TEMPORARY_RETRY_AFTER_SECONDS, List.of());
    }

    public int status() {
        return status;
    }

    /** A problem type URI relative to the hub's problem namespace. */
    public URI type() {
        return URI.create("urn:tradehub:problem:" + type);
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public List<String> errors() {
        return errors;
    }
}
