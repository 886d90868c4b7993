package org.tradehub.canonical;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the XML Schema validator's messages (cvc-... codes from the JDK's Xerces) into plain language with a field
 * path. Messages it does not know keep the validator's wording, still with the path.
 */
final class SchemaMessages {

    private static final Pattern EXPECTED = Pattern.compile("One of '\\{(.*)\\}' is expected");
    private static final Pattern FOUND = Pattern.compile("starting with element '(?:\\{\"[^\"]*\":)?([^'}]+)\\}?'");
    private static final Pattern NAME = Pattern.compile("(?:\"[^\"]*\":)?([A-Za-z][\\w.-]*)");
    private static final Pattern VALUE = Pattern.compile("[Vv]alue '([^']*)'|^[^:]+: '([^']*)'");
    private static final Pattern ATTRIBUTE = Pattern.compile("[Aa]ttribute '([^']+)'");

    private static final Map<String, String> WHY_REQUIRED = Map.ofEntries(
            Map.entry("CountryID", "every address needs an ISO 3166-1 alpha-2 country code such as US or DE"),
            Map.entry("Name", "every party needs a name (company or person)"),
            Map.entry("InvoiceCurrencyCode", "the order's ISO 4217 currency, such as EUR, is required"),
            Map.entry("ExternalOrderID", "the order's id in the source system is required"),
            Map.entry("IssueDateTime", "the date and time the order was placed is required, e.g. 2025-03-14T09:21:07Z"),
            Map.entry("BuyerTradeParty", "the buyer's name and address are required"),
            Map.entry("LineItem", "an order needs at least one line item"),
            Map.entry("Description", "every line needs a description of the goods"),
            Map.entry("Quantity", "every line needs a quantity with a unit code such as C62"),
            Map.entry("UnitPrice", "every line needs a unit price"),
            Map.entry("LineAmount", "every line needs its amount (price times quantity less line discounts)"),
            Map.entry("MonetarySummation", "the order totals are required"),
            Map.entry("LineTotalAmount", "the sum of the line amounts is required"),
            Map.entry("GrandTotalAmount", "the order's total is required"),
            Map.entry("IncotermsCode", "delivery terms need an Incoterms 2020 rule such as DAP"));

    private SchemaMessages() {
    }

    /** A value that does not fit its type; {@code detail} is the datatype/facet message that preceded it. */
    static Violation badValue(String elementPath, String message, String detail) {
        Matcher attribute = ATTRIBUTE.matcher(message);
        String field = attribute.find() ? elementPath + "/@" + attribute.group(1) : elementPath;
        String value = firstValue(message);
        String source = detail != null ? detail : message;
        String reason;
        if (source.startsWith("cvc-minLength-valid")) {
            reason = "is empty; leave the element out or give a value";
        } else if (source.startsWith("cvc-maxLength-valid")) {
            reason = "is longer than the schema allows";
        } else if (source.contains("for 'decimal'")) {
            reason = "is not a decimal number; write it like 12.50 (digits, a dot as decimal mark, no thousands separator or currency)";
        } else if (source.contains("for 'dateTime'")) {
            reason = "is not an ISO 8601 date-time; write it like 2025-03-14T09:21:07Z or 2025-03-14T10:21:07+01:00";
        } else if (source.contains("for 'positiveInteger'")) {
            reason = "is not a whole number of 1 or more";
        } else if (source.contains("for 'nonNegativeInteger'")) {
            reason = "is not a whole number of 0 or more";
        } else if (message.startsWith("cvc-complex-type.2.2")) {
            reason = "may only hold text, not child elements";
        } else {
            reason = "is not valid: " + strip(source);
        }
        return new Violation(field, value, field + " '" + (value == null ? "" : value) + "' " + reason);
    }

    /** Missing, unexpected or misplaced elements and attributes. */
    static Violation structure(String path, String key, String message) {
        String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        switch (key) {
            case "cvc-complex-type.2.4.b" -> { // the element ended before a required child came
                String missing = last(expected(message));
                return missing(join(path, missing), missing, null);
            }
            case "cvc-complex-type.2.4.a" -> { // another element came where a required one was expected
                List<String> expected = expected(message);
                String missing = last(expected);
                return missing(join(parent, missing), missing, "found " + found(message) + " where "
                        + (expected.size() == 1 ? missing : "one of " + String.join(", ", expected)) + " was expected");
            }
            case "cvc-complex-type.2.4.d" -> {
                return new Violation(path, null, path + " is not allowed here (unknown element or one too many)");
            }
            case "cvc-complex-type.4" -> {
                Matcher attribute = ATTRIBUTE.matcher(message);
                String name = attribute.find() ? attribute.group(1) : "an attribute";
                String field = path + "/@" + name;
                return new Violation(field, null, field + " is missing"
                        + ("unitCode".equals(name) ? ": give a UN/ECE Rec 20 unit code such as C62 (one) or KGM (kilogram)" : ""));
            }
            case "cvc-elt.1.a" -> {
                return new Violation(path, null, "the document is not a canonical trade transaction: the root element must be "
                        + "TradeTransaction in namespace " + CanonicalValidator.NS + " (" + strip(message) + ")");
            }
            default -> {
                return new Violation(path, firstValue(message), (path.isEmpty() ? "" : path + ": ") + strip(message));
            }
        }
    }

    private static Violation missing(String field, String element, String context) {
        String why = WHY_REQUIRED.getOrDefault(element, "the canonical schema requires it here");
        return new Violation(field, null, field + " is missing: " + why + (context == null ? "" : " (" + context + ")"));
    }

    private static List<String> expected(String message) {
        List<String> names = new ArrayList<>();
        Matcher list = EXPECTED.matcher(message);
        if (list.find()) {
            Matcher name = NAME.matcher(list.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    private static String found(String message) {
        Matcher found = FOUND.matcher(message);
        return found.find() ? found.group(1) : "another element";
    }

    private static String last(List<String> names) {
        return names.isEmpty() ? "a required element" : names.get(names.size() - 1);
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    private static String firstValue(String message) {
        Matcher value = VALUE.matcher(message);
        if (!value.find()) {
            return null;
        }
        return value.group(1) != null ? value.group(1) : value.group(2);
    }

    /** The validator's text without its cvc-... prefix. */
    private static String strip(String message) {
        return message.replaceFirst("^cvc-[\\w.-]+: ", "");
    }
}
