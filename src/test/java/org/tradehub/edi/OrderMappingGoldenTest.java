package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.s9api.SaxonApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

/**
 * Input -> canonical golden files. Goldens were generated once with -Dgolden.update=true, reviewed by hand and
 * frozen; every result must also be valid against trade-transaction-1.xsd.
 */
class OrderMappingGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/edi/golden");

    @ParameterizedTest(name = "{0} via {1}")
    @CsvSource({
        "src/test/resources/edi/fixtures/orders-d96a.edi, edifact-orders.xsl, orders-d96a",
        "src/test/resources/edi/fixtures/orders-d01b-eancom-decimal-comma.edi, edifact-orders.xsl, orders-d01b-eancom-decimal-comma",
        "src/test/resources/edi/fixtures/x12-850-5010.edi, x12-850.xsl, x12-850-5010",
        "src/test/resources/samples/x12/edinet__x12.850.edi, x12-850.xsl, edinet-x12-850-4010",
    })
    void ediOrderMapsToGolden(String input, String template, String golden) throws Exception {
        List<String> results = new ArrayList<>();
        try (InputStream in = new FileInputStream(input)) {
            Collected c = Collected.read(in);
            for (EdiMessage m : c.messages) {
                assertTrue(m.accepted(), () -> "message errors: " + m.errors());
                results.add(Mapping.transform(template, m.asSource(), "as2", "PARTNER-1"));
            }
        }
        assertEquals(1, results.size());
        check(golden, results.get(0));
        // the hub's own fixtures are good orders: their codes (HS, Rec 20 units, currencies ...) pass the code lists
        if (input.contains("/fixtures/")) {
            VALIDATOR.check(results.get(0));
        }
    }

    private static final org.tradehub.canonical.CanonicalValidator VALIDATOR = new org.tradehub.canonical.CanonicalValidator(
            new org.tradehub.canonical.CodeLists(Path.of("mappings/codelists")),
            Path.of("mappings/schemas/trade-transaction-1.xsd"));

    @Test
    void ublOrderMapsToGolden() throws Exception {
        String out = Mapping.transform("ubl-order-2.1.xsl",
                new StreamSource("src/test/resources/samples/ubl/UBL-Order-2.1-Example.xml"), "ftp", "PARTNER-2");
        check("ubl-order-2.1-example", out);
    }

    @Test
    void ublMinimalOrderWithoutIdIsRefusedNotInvented() {
        SaxonApiException e = assertThrows(SaxonApiException.class, () -> Mapping.transform("ubl-order-2.1.xsl",
                new StreamSource("src/test/resources/samples/ubl/CENBII-Order-minimal.xml"), "ftp", "P"));
        assertEquals("TH-MAP-001", e.getErrorCode().getLocalName());
    }

    private static void check(String golden, String actual) throws Exception {
        Mapping.validate(actual);
        Path file = GOLDEN.resolve(golden + ".xml");
        if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            assertFalse(!Boolean.getBoolean("golden.update"), "golden file was missing and has been written: " + file);
        }
        Diff diff = DiffBuilder.compare(Files.readString(file, StandardCharsets.UTF_8)).withTest(actual)
                .ignoreWhitespace().checkForSimilar().build();
        assertFalse(diff.hasDifferences(), () -> golden + ": " + diff);
    }
}
