package org.tradehub.canonical;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-language messages for values that are not in their code list; each names what would be valid. */
final class CodeMessages {

    /** Compiled once: String.matches compiles its pattern on every call, and these run for every order. */
    private static final java.util.regex.Pattern SUBDIVISION = java.util.regex.Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,3}");
    private static final java.util.regex.Pattern HS_CODE = java.util.regex.Pattern.compile("\\d{6,10}");

    /** Units people write that are not Rec 20 codes, with the code they mean. */
    private static final Map<String, String> UNIT_HINTS = Map.ofEntries(
            Map.entry("PCS", "for pieces use H87 (piece) or C62 (one)"),
            Map.entry("PC", "for pieces use H87 (piece) or C62 (one)"),
            Map.entry("PCE", "for pieces use H87 (piece) or C62 (one)"),
            Map.entry("EACH", "for pieces use H87 (piece) or C62 (one)"),
            Map.entry("UNIT", "for pieces use H87 (piece) or C62 (one)"),
            Map.entry("KG", "for kilograms use KGM"),
            Map.entry("KGS", "for kilograms use KGM"),
            Map.entry("G", "for grams use GRM"),
            Map.entry("GR", "for grams use GRM"),
            Map.entry("LB", "for pounds use LBR"),
            Map.entry("LBS", "for pounds use LBR"),
            Map.entry("L", "for litres use LTR"),
            Map.entry("M", "for metres use MTR"));

    /** Incoterms 2010 and older rules, and the 2020 rule that replaces them. */
    private static final Map<String, String> OLD_INCOTERMS = Map.of(
            "DAT", "DAT was replaced by DPU in Incoterms 2020",
            "DDU", "DDU no longer exists; DAP is the nearest Incoterms 2020 rule",
            "DAF", "DAF no longer exists; use DAP",
            "DES", "DES no longer exists; use DAP",
            "DEQ", "DEQ no longer exists; use DPU");

    private CodeMessages() {
    }

    static Violation country(CodeLists lists, String field, String value) {
        String meant = lists.suggestCountry(value);
        String hint = meant != null
                ? "did you mean " + meant + " (" + lists.countryName(meant) + ")?"
                : "use a two-letter code such as US, GB or DE";
        return new Violation(field, value, field + " '" + value + "' is not an ISO 3166-1 alpha-2 country code; " + hint);
    }

    static Violation subdivision(CodeLists lists, String field, String value) {
        if (SUBDIVISION.matcher(value).matches() && lists.isCountry(value.substring(0, 2))) {
            return null;
        }
        return new Violation(field, value, field + " '" + value
                + "' is not an ISO 3166-2 subdivision code; write the country code, a hyphen and up to 3 letters or digits, e.g. US-NY");
    }

    static Violation currency(CodeLists lists, String field, String value) {
        String meant = lists.suggestCurrency(value);
        String hint = meant != null ? "did you mean " + meant + "?" : "use a three-letter code such as EUR, USD or GBP";
        return new Violation(field, value, field + " '" + value + "' is not a current ISO 4217 currency code; " + hint);
    }

    static Violation unit(String elementPath, String value) {
        String hint = UNIT_HINTS.getOrDefault(value.toUpperCase(Locale.ROOT),
                "use a Rec 20 common code such as C62 (one), H87 (piece), KGM (kilogram)");
        return new Violation(elementPath + "/@unitCode", value,
                elementPath + " unitCode '" + value + "' is not a UN/ECE Rec 20 unit code; " + hint);
    }

    static Violation hsCode(CodeLists lists, String field, String value) {
        boolean digits = HS_CODE.matcher(value).matches();
        if (digits && lists.hsDescription(value.substring(0, 6)) != null) {
            return null; // checked for every line: nothing built for a valid code
        }
        String prefix = field + " '" + value + "' is not an HS 6-digit code; ";
        if (!digits) {
            return new Violation(field, value, prefix + "write 6 digits (national extensions up to 10 digits), e.g. 610910");
        }
        String chapter = value.substring(0, 2);
        String heading = value.substring(0, 4);
        String subheading = value.substring(0, 6);
        if (lists.hsDescription(chapter) == null) {
            return new Violation(field, value, prefix + "heading " + chapter
                    + " does not exist (HS chapters are 01 to 97; 77 is reserved, 98 and 99 are for national use)");
        }
        if (lists.hsDescription(heading) == null) {
            return new Violation(field, value, prefix + "heading " + heading + " does not exist in chapter " + chapter
                    + " (" + lists.hsDescription(chapter) + ")");
        }
        List<String> valid = lists.hsSubheadings(heading);
        return new Violation(field, value, prefix + "subheading " + subheading + " does not exist under heading " + heading
                + " (" + lists.hsDescription(heading) + "); valid subheadings are " + String.join(", ", valid));
    }

    static Violation incoterm(CodeLists lists, String field, String value) {
        String old = OLD_INCOTERMS.get(value.toUpperCase(Locale.ROOT));
        return new Violation(field, value, field + " '" + value + "' is not an Incoterms 2020 rule; "
                + (old != null ? old + "; " : "") + "valid rules are " + String.join(", ", lists.incoterms()));
    }

    static Violation locode(String field, String value) {
        return new Violation(field, value, field + " '" + value
                + "' is not a UN/LOCODE; write 5 characters: an ISO 3166-1 country code and 3 letters or digits 2-9, e.g. GBLON");
    }
}
