package org.tradehub.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the sandbox answers to a submission: HTTP status, response headers and body (empty for 202).
 */
public record SandboxResponse(int status, Map<String, String> headers, byte[] body) {

    public SandboxResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The conversation id of a 202, or null. */
    public String conversationId() {
        return headers.get(SandboxSingleWindow.CONVERSATION_ID_HEADER);
    }
}
