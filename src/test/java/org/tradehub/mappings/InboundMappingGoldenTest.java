package org.tradehub.mappings;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

/**
 * Golden files: each web-shop sample goes through its template exactly as the route runs it and must give the
 * reviewed canonical document in src/test/resources/golden/. Run with -Dgolden.write=true to (re)write a golden
 * file after a deliberate mapping change, then review the diff by hand before committing it.
 */
class InboundMappingGoldenTest {

    private static final Path WEBHOOKS = Path.of("src/test/resources/webhooks");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static InboundMapping mapping;

    @BeforeAll
    static void start() {
        mapping = new InboundMapping();
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
                Arguments.of("woocommerce-order.xsl", WEBHOOKS.resolve("woocommerce/order-incomplete.json"), woo, "woocommerce-order-incomplete.xml"));
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
    }
}
