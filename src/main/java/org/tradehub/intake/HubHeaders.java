package org.tradehub.intake;

import org.apache.camel.Message;

/**
 * The hub's own headers (named hub..., in any case) carry its decisions from step to step and onto the queues; a
 * caller's headers must never pass for them, and nothing else goes onto a queue.
 * <p>
 * Not Camel's {@code removeHeaders} with a "hub*" pattern: for every header that a pattern does not match as a
 * wildcard, Camel tries it as a regular expression, compiled again each time (case-insensitively), so a webhook's
 * twenty-odd HTTP headers cost some forty compilations per request: 5% of the webhook threads' CPU and an eighth of
 * what they allocated (JFR, webhook intake benchmark, bench/reports/2026-12-06-eighth.md). Same rule as that
 * wildcard: the prefix, in any case.
 */
public final class HubHeaders {

    private static final String OURS = "hub";

    private HubHeaders() {
    }

    /** Removes every hub header: at the start of an input route (the caller's), and before answering (ours). */
    public static void dropOurs(Message message) {
        message.getHeaders().keySet().removeIf(HubHeaders::ours);
    }

    /** Removes every header but the hub's: what goes onto a queue. */
    public static void keepOnlyOurs(Message message) {
        message.getHeaders().keySet().removeIf(name -> !ours(name));
    }

    /**
     * Removes every header but those named, comma-separated (a queue's header contract, as a route names it). The
     * same trap as above: Camel's removeHeaders with an excludePattern compiles the exclusions for every header.
     */
    public static void keepOnly(Message message, String names) {
        String[] kept = names.split(",");
        message.getHeaders().keySet().removeIf(name -> !named(name, kept));
    }

    /** Names compared as Camel compares header names: in any case. */
    private static boolean named(String name, String[] names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean ours(String name) {
        return name.regionMatches(true, 0, OURS, 0, OURS.length());
    }
}
