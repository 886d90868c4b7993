package org.tradehub.events;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.tradehub.ledger.EventTypes;
import org.tradehub.web.HubProblemException;

/**
 * The event types a subscription names: exact types ({@code DECLARATION_ACCEPTED}) and prefixes ending in '*'
 * ({@code DECLARATION_*}). Each must name a type the hub records ({@link EventTypes}), so a misspelt type is refused
 * rather than silently matching nothing.
 */
final class EventTypeFilter {

    static final int MAX_PATTERNS = 64;
    private static final Pattern SYNTAX = Pattern.compile("[A-Z][A-Z0-9_]{0,62}\\*?");

    private EventTypeFilter() {}

    /**
     * The patterns of a PUT body's {@code eventTypes}, checked and without repeats; null (every type) when the field
     * is absent, null or ["*"].
     */
    static List<String> parse(JsonNode field) {
        if (field == null || field.isNull()) {
            return null;
        }
        if (!field.isArray()) {
            throw HubProblemException.badRequest("eventTypes must be a list of event types, e.g."
                    + " [\"DECLARATION_ACCEPTED\", \"DECLARATION_REJECTED\"], or left out for every type.");
        }
        if (field.isEmpty()) {
            throw HubProblemException.badRequest("eventTypes is empty: name at least one event type, or leave"
                    + " eventTypes out for every type (DELETE /api/event-subscription stops all events).");
        }
        if (field.size() > MAX_PATTERNS) {
            throw HubProblemException.badRequest("eventTypes names more than " + MAX_PATTERNS + " types; a prefix"
                    + " such as DECLARATION_* names a family of them.");
        }
        Set<String> patterns = new LinkedHashSet<>();
        for (JsonNode item : field) {
            if (!item.isTextual()) {
                throw HubProblemException.badRequest("eventTypes must hold event type names as strings; found "
                        + item + ".");
            }
            String pattern = item.asText();
            if ("*".equals(pattern)) {
                return null;
            }
            if (!SYNTAX.matcher(pattern).matches()) {
                throw HubProblemException.badRequest("'" + cut(pattern) + "' is not an event type: a type is upper"
                        + " case letters, digits and underscores (DECLARATION_ACCEPTED), a prefix ends in '*'"
                        + " (DECLARATION_*).");
            }
            if (EventTypes.all().stream().noneMatch(t -> matches(pattern, t.type()))) {
                throw HubProblemException.badRequest("'" + pattern + "' names no event type the hub records;"
                        + " GET /api/event-types lists them.");
            }
            patterns.add(pattern);
        }
        return new ArrayList<>(patterns);
    }

    static boolean matches(String pattern, String type) {
        return pattern.endsWith("*") ? type.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(type);
    }

    /** The pattern as SQL LIKE reads it with escape '!': the trailing '*' any suffix, '_' itself. */
    static String likePattern(String pattern) {
        StringBuilder like = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '!', '_', '%' -> like.append('!').append(c);
                case '*' -> like.append('%');
                default -> like.append(c);
            }
        }
        return like.toString();
    }

    private static String cut(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
