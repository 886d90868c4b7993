package org.tradehub.canonical;

/**
 * One reason a canonical trade transaction is not acceptable.
 *
 * @param field   path below TradeTransaction, e.g. {@code LineItem[2]/HSCode} or {@code LineItem[1]/Quantity/@unitCode}
 * @param value   the offending value, or null when the element is missing
 * @param message plain-language explanation that names the field, the value and what would be valid
 */
public record Violation(String field, String value, String message) {

    @Override
    public String toString() {
        return message;
    }
}
