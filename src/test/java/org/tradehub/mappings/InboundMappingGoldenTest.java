package org.tradehub.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;
import org.tradehub.canonical.CanonicalValidator;
import org.tradehub.canonical.CodeLists;
import org.tradehub.canonical.Violation;

/**
 * Golden files: each web-shop sample goes through its template exactly as the route runs it and must give the
 * reviewed canonical document in src/test/resources/golden/. Run with -Dgolden.write=true to (re)write a golden
 * file after a deliberate mapping change, then review the diff by hand before committing it.
 */
class InboundMappingGoldenTest {

    private static final Path WEBHOOKS = Path.of("src/test/resources/webhooks");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static InboundMapping mapping;
    private static CanonicalValidator validator;

    @BeforeAll
    static void start() {
        mapping = new InboundMapping();
        validator = new CanonicalValidator(new CodeLists(Path.of("mappings/codelists")),
                Path.of("mappings/schemas/trade-transaction-1.xsd"));
    }

    @AfterAll
    static void stop() {
        mapping.close();
    }

    static Stream<Arguments> samples() {
        Map<String, Object> shopify = Map.of("hubChannel", "shopify", "hubSourceFormat", "shopify-order",
                "hubPartnerId", "jsmith.myshopify.com");
        Map<String, Object> woo = Map.of("hubChannel", "woocommerce", "hubSourceFormat", "woocommerce-order",
                "hubPartnerId", "shop.example.de");
        return Stream.of(
                Arguments.of("shopify-order.xsl", WEBHOOKS.resolve("shopify/orders-create-2023-07.json"), shopify, "shopify-orders-create-2023-07.xml"),
                Arguments.of("shopify-order.xsl", WEBHOOKS.resolve("shopify/orders-create-2024-07.json"), shopify, "shopify-orders-create-2024-07.xml"),
                Arguments.of("shopify-order.xsl", Path.of("src/test/resources/samples/shopify/gadget-exemplar-anonymized__2024-01__orders_1.json"),
                        shopify, "shopify-exemplar-anonymized-2024-01.xml"),
                Arguments.of("woocommerce-order.xsl", WEBHOOKS.resolve("woocommerce/order-de-to-ch-paid.json"), woo, "woocommerce-order-de-to-ch-paid.xml"),
                Arguments.of("woocommerce-order.xsl", WEBHOOKS.resolve("woocommerce/order-uk-to-jp-on-hold.json"), woo, "woocommerce-order-uk-to-jp-on-hold.xml"),
                Arguments.of("woocommerce-order.xsl", WEBHOOKS.resolve("woocommerce/order-incomplete.json"), woo, "woocommerce-order-incomplete.xml"),
                Arguments.of("manual-order.xsl", MANUAL.resolve("order-gb-to-us.json"), MANUAL_HEADERS, "manual-order-gb-to-us.xml"));
    }

    private static final Path MANUAL = Path.of("src/test/resources/manual");
    private static final Map<String, Object> MANUAL_HEADERS = Map.of("hubChannel", "manual-entry",
            "hubSourceFormat", "manual-order", "hubReceivedAt", "2026-12-07T09:30:00.123456Z");

    @Test
    void aManualOrderLeftToTheHubToAddUpGetsExactDecimalAmountsAndTheReceivedTimeAsItsDate() throws Exception {
        String json = """
                {"orderNumber": "A-1", "currency": "GBP", "buyer": {"name": "B", "address": {"country": "FR"}},
                 "shipTo": {"name": "C", "address": {"country": "BE"}},
                 "lines": [{"description": "x", "quantity": 3, "unitPrice": 0.1},
                           {"description": "y", "quantity": "0.5", "unitPrice": "0.2"}],
                 "shippingAmount": 0.3, "discountAmount": "0.1"}""";
        String canonical = mapping.map("manual-order.xsl", json.getBytes(StandardCharsets.UTF_8), MANUAL_HEADERS);
        // 3 x 0.1 is 0.3, not 0.30000000000000004; 0.3 + 0.1 + 0.3 - 0.1 = 0.6
        assertThat(canonical).contains("<LineAmount>0.30</LineAmount>", "<LineAmount>0.10</LineAmount>",
                "<LineTotalAmount>0.40</LineTotalAmount>", "<GrandTotalAmount>0.60</GrandTotalAmount>",
                "<IssueDateTime>2026-12-07T09:30:00.123456Z</IssueDateTime>", "<Quantity unitCode=\"C62\">3</Quantity>",
                "<DestinationCountryID>BE</DestinationCountryID>");
        assertThat(validator.validate(canonical)).isEmpty();
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("samples")
    void mapsSampleToReviewedCanonicalDocument(String template, Path input, Map<String, Object> headers, String golden)
            throws Exception {
        String actual = mapping.map(template, input, headers);
        Path expectedFile = GOLDEN.resolve(golden);
        if (Boolean.getBoolean("golden.write")) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        Diff diff = DiffBuilder.compare(InboundMapping.read(expectedFile)).withTest(actual)
                .ignoreWhitespace().ignoreComments().checkForSimilar().build();
        assertFalse(diff.hasDifferences(), () -> golden + " differs: " + diff + "\nactual:\n" + actual);
        if (!golden.contains("exemplar") && !golden.contains("incomplete")) {
            assertThat(validator.validate(actual)).isEmpty();
        }
    }

    @Test
    void incompleteWooCommerceOrderStillMapsAndTheValidatorSaysWhatIsMissing() throws Exception {
        String canonical = mapping.map("woocommerce-order.xsl", WEBHOOKS.resolve("woocommerce/order-incomplete.json"), Map.of());
        assertThat(validator.validate(canonical)).extracting(Violation::field)
                .containsExactly("BuyerTradeParty/Name", "BuyerTradeParty/PostalAddress/CountryID", "InvoiceCurrencyCode");
    }

    @Test
    void anonymisedShopifyExemplarIsRejectedForItsPlaceholderValues() throws Exception {
        String canonical = mapping.map("shopify-order.xsl",
                Path.of("src/test/resources/samples/shopify/gadget-exemplar-anonymized__2024-01__orders_1.json"), Map.of());
        List<Violation> violations = validator.validate(canonical);
        assertThat(violations).extracting(Violation::message).contains(
                "BuyerTradeParty/PostalAddress/CountryID 'example string' is not an ISO 3166-1 alpha-2 country code; use a two-letter code such as US, GB or DE",
                "InvoiceCurrencyCode 'example string' is not a current ISO 4217 currency code; use a three-letter code such as EUR, USD or GBP");
        assertThat(violations).extracting(Violation::field).contains("LineItem[12]/UnitPrice", "LineItem[1]/LineAmount");
    }

    @Test
    void bigShopifyIdsStayExact() throws Exception {
        String canonical = mapping.map("shopify-order.xsl", WEBHOOKS.resolve("shopify/orders-create-2023-07.json"), Map.of());
        // 820982911946154508 is not representable as a double (it would become ...496 or print as 8.2098...E17)
        assertThat(canonical).contains("<ExternalOrderID>820982911946154508</ExternalOrderID>");
        assertThat(canonical).contains("<Channel>shopify</Channel>").doesNotContain("PartnerID");
    }

    @Test
    void valuesAreTrimmedAndABlankValueCountsAsMissing() throws Exception {
        String json = Files.readString(WEBHOOKS.resolve("shopify/orders-create-2024-07.json"))
                .replace("\"city\": \"Shippington\"", "\"city\": \" \\tShippington  \"")
                .replace("\"address1\": \"123 Shipping Street\"", "\"address1\": \"123 Shipping Street\\n\"")
                .replace("\"zip\": \"40003\"", "\"zip\": \"\\r 40003\"")
                .replace("\"phone\": \"555-555-SHIP\"", "\"phone\": \" \\t \"");
        String canonical = mapping.map("shopify-order.xsl", json.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(canonical).contains("<CityName>Shippington</CityName>", "<LineOne>123 Shipping Street</LineOne>",
                "<PostcodeCode>40003</PostcodeCode>", "<PersonName>Steve Shipper</PersonName>")
                .doesNotContain("<TelephoneNumber>", "Shippington ", " 40003");
    }

    @Test
    void brokenJsonFailsInTheParser() {
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> mapping.map("shopify-order.xsl", "{\"id\": 1, \"line_items\": [".getBytes(StandardCharsets.UTF_8), Map.of()));
    }
}
