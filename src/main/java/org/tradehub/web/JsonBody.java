package org.tradehub.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A request body that must be a JSON object; anything else is a 400 with the reason. */
public final class JsonBody {

    private JsonBody() {
    }

    public static JsonNode object(ObjectMapper json, byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw HubProblemException.badRequest("The body must be a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw HubProblemException.badRequest("The body is not valid JSON: " + e.getMessage());
        }
    }
}
