package org.tradehub.edi;

/**
 * What one {@link EdiReader#read} call saw.
 *
 * @param interchanges     interchange headers read
 * @param groups           functional groups read (UNG / GS)
 * @param messages         messages passed to {@link EdiHandler#onMessage}
 * @param rejectedMessages of those, messages that carried errors
 * @param errors           all errors reported (any scope)
 * @param complete         false when reading stopped at a fatal error (garbage, truncated input)
 */
public record EdiSummary(int interchanges, int groups, int messages, int rejectedMessages, int errors,
                         boolean complete) {
}
