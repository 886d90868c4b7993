package org.tradehub.canonical;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The code lists shipped in {@code mappings/codelists/}, loaded once into memory. Immutable after construction and
 * safe to share between threads (one Spring bean).
 */
public class CodeLists {

    private static final Pattern LOCODE = Pattern.compile("[A-Z]{2}[A-Z2-9]{3}");

    private final Map<String, String> countryNames = new HashMap<>();        // alpha-2 -> English short name
    private final Map<String, String> countryByAlpha3 = new HashMap<>();     // alpha-3 -> alpha-2
    private final Map<String, String> countryByName = new HashMap<>();       // upper-case name -> alpha-2
    private final Map<String, String> countryCurrency = new HashMap<>();     // alpha-2 -> main currency
    private final Map<String, Integer> currencyMinorUnits = new HashMap<>(); // current ISO 4217 code -> minor units (-1: none)
    private final Map<String, String> unitNames = new HashMap<>();           // Rec 20 code -> name
    private final Map<String, String> hsDescriptions = new HashMap<>();      // 2-, 4- and 6-digit HS code -> description
    private final Map<String, String> incoterms = new TreeMap<>();           // Incoterms 2020 rule -> name
    private final Set<String> locodeCountries = new HashSet<>();

    /** @param directory the {@code mappings/codelists} folder ({@code ${hub.mappings-dir:mappings}/codelists} in Spring) */
    public CodeLists(Path directory) {
        for (Map<String, String> row : Csv.read(directory.resolve("iso3166-country-codes.csv"))) {
            String alpha2 = row.get("ISO3166-1-Alpha-2");
            if (alpha2.isEmpty()) {
                continue;
            }
            // official names read better in messages than CLDR's short forms ("UK")
            String name = row.get("official_name_en").isEmpty() ? row.get("CLDR display name") : row.get("official_name_en");
            countryNames.put(alpha2, name);
            countryByAlpha3.put(row.get("ISO3166-1-Alpha-3"), alpha2);
            countryByName.put(name.toUpperCase(Locale.ROOT), alpha2);
            countryByName.put(row.get("CLDR display name").toUpperCase(Locale.ROOT), alpha2);
            String currency = row.get("ISO4217-currency_alphabetic_code");
            if (currency.matches("[A-Z]{3}")) { // some rows list several currencies ("CHF,CHE,CHW")
                countryCurrency.put(alpha2, currency);
            }
        }
        for (Map<String, String> row : Csv.read(directory.resolve("iso4217-codes-all.csv"))) {
            String code = row.get("AlphabeticCode");
            if (!code.isEmpty() && row.get("WithdrawalDate").isEmpty()) { // withdrawn codes are not valid today
                String minor = row.get("MinorUnit");
                currencyMinorUnits.put(code, minor.matches("\\d") ? Integer.parseInt(minor) : -1);
            }
        }
        for (Map<String, String> row : Csv.read(directory.resolve("hs-harmonized-system.csv"))) {
            // the UN Comtrade file also carries reporting artefacts (TOTAL, chapter 99 "not specified"): not HS codes
            if (!"TOTAL".equals(row.get("section")) && row.get("hscode").matches("\\d{2}|\\d{4}|\\d{6}")) {
                hsDescriptions.put(row.get("hscode"), row.get("description"));
            }
        }
        for (Map<String, String> row : Csv.read(directory.resolve("incoterms-2020.csv"))) {
            incoterms.put(row.get("code"), row.get("name"));
        }
        for (Map<String, String> row : Csv.read(directory.resolve("unlocode-country-codes.csv"))) {
            locodeCountries.add(row.get("CountryCode"));
        }
        readGenericode(directory.resolve("unece-rec20-UnitOfMeasureCode-2.3.gc"));
    }

    public boolean isCountry(String code) {
        return countryNames.containsKey(code);
    }

    public String countryName(String alpha2) {
        return countryNames.get(alpha2);
    }

    /** The alpha-2 code a writer probably meant: for an alpha-3 code, a country name, or the usual mistakes UK/EL. */
    public String suggestCountry(String value) {
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("UK")) {
            return "GB";
        }
        if (upper.equals("EL")) {
            return "GR";
        }
        if (countryNames.containsKey(upper)) {
            return upper;
        }
        return countryByAlpha3.getOrDefault(upper, countryByName.get(upper));
    }

    public boolean isCurrency(String code) {
        return currencyMinorUnits.containsKey(code);
    }

    /** ISO 4217 minor units of a current currency (2 for EUR, 0 for JPY), -1 when it has none, null when unknown. */
    public Integer currencyMinorUnits(String code) {
        return currencyMinorUnits.get(code);
    }

    /** A current currency a writer probably meant: the main currency of the country its first two letters name. */
    public String suggestCurrency(String value) {
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (isCurrency(upper)) {
            return upper;
        }
        if (upper.length() >= 2) {
            String currency = countryCurrency.get(upper.substring(0, 2));
            if (currency != null && isCurrency(currency)) {
                return currency;
            }
        }
        return null;
    }

    public boolean isUnit(String code) {
        return unitNames.containsKey(code);
    }

    public String unitName(String code) {
        return unitNames.get(code);
    }

    /** Description of an HS chapter (2 digits), heading (4) or subheading (6), or null when it does not exist. */
    public String hsDescription(String code) {
        return hsDescriptions.get(code);
    }

    /** The 6-digit subheadings under a 4-digit heading, in order. */
    public List<String> hsSubheadings(String heading) {
        List<String> result = new ArrayList<>();
        for (String code : hsDescriptions.keySet()) {
            if (code.length() == 6 && code.startsWith(heading)) {
                result.add(code);
            }
        }
        result.sort(null);
        return result;
    }

    public boolean isIncoterm(String code) {
        return incoterms.containsKey(code);
    }

    /** The eleven Incoterms 2020 rules, in code order. */
    public Set<String> incoterms() {
        return incoterms.keySet();
    }

    /** Format check of a UN/LOCODE: a known country and three more characters from A-Z and 2-9. */
    public boolean isLocodeShape(String code) {
        return LOCODE.matcher(code).matches() && locodeCountries.contains(code.substring(0, 2));
    }

    private void readGenericode(Path file) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // code lists are data: no DTDs, no external entities
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            String column = null;
            String code = null;
            while (reader.hasNext()) {
                if (reader.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (reader.getLocalName()) {
                    case "Row" -> code = null;
                    case "Value" -> column = reader.getAttributeValue(null, "ColumnRef");
                    case "SimpleValue" -> {
                        String text = reader.getElementText().trim();
                        if ("code".equals(column)) {
                            code = text;
                        } else if ("name".equals(column) && code != null) {
                            unitNames.put(code, text);
                        }
                    }
                    default -> { }
                }
            }
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot read code list " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A code list of two columns (a header row, then code and description; RFC 4180) as code -> description: the
     * plain-language texts the hub shows beside codes a peer sends (CDS error codes, EDI syntax error codes).
     */
    public static Map<String, String> descriptions(Path csv) {
        Map<String, String> map = new HashMap<>();
        List<List<String>> records = Csv.records(csv);
        for (List<String> r : records.subList(Math.min(1, records.size()), records.size())) {
            if (r.size() >= 2 && !r.get(0).isBlank()) {
                // a description with a comma that was not quoted keeps its whole text
                map.put(r.get(0).strip(), String.join(",", r.subList(1, r.size())).strip());
            }
        }
        return Map.copyOf(map);
    }

    /** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; a UTF-8 BOM is dropped. */
    static final class Csv {

        private Csv() {
        }

        static List<Map<String, String>> read(Path file) {
            List<List<String>> records = records(file);
            List<String> header = records.get(0);
            List<Map<String, String>> rows = new ArrayList<>(records.size());
            for (List<String> record : records.subList(1, records.size())) {
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), i < record.size() ? record.get(i) : "");
                }
                rows.add(row);
            }
            return rows;
        }

        /** Every record of the file, its header row first. */
        static List<List<String>> records(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read code list " + file, e);
            }
            return parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        }

        static List<List<String>> parse(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> record = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    record.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    record.add(field.toString());
                    field.setLength(0);
                    if (!(record.size() == 1 && record.get(0).isEmpty())) { // skip blank lines
                        records.add(record);
                    }
                    record = new ArrayList<>();
                } else {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !record.isEmpty()) {
                record.add(field.toString());
                records.add(record);
            }
            return records;
        }
    }
}
