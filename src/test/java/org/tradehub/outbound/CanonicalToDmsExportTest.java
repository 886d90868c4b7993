package org.tradehub.outbound;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.xml.transform.stream.StreamSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradehub.xml.SafeXml;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

/**
 * Golden tests of mappings/outbound/canonical-to-dms-export.xsl through real Camel endpoints: the declaration must be
 * valid against the DMS declaration schema and equal to the reviewed file under src/test/resources/golden/dms-export.
 * Run with -Dgolden.update=true to rewrite the golden files after a deliberate change (then review the diff).
 */
class CanonicalToDmsExportTest {

    private static final String XSLT = "xslt-saxon:file:mappings/outbound/canonical-to-dms-export.xsl";
    // The metadata wrapper alone cannot validate a declaration (see mappings/schemas/wco/SOURCE.md); this imports both.
    private static final String VALIDATOR = "validator:file:mappings/schemas/wco/dms-declaration.xsd";
    private static final Path CANONICAL = Path.of("src/test/resources/canonical");
    private static final Path GOLDEN = Path.of("src/test/resources/golden/dms-export");

    private static CamelContext camel;
    private static ProducerTemplate template;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    static List<Arguments> fixtures() {
        return List.of(
                Arguments.of("export-single-line-gbp", Map.of("lrn", "HK1042A")),
                Arguments.of("export-multi-line-ship-to", Map.of(
                        "lrn", "HPC-PO07881",
                        "exitOfficeId", "GB000060",
                        "goodsLocationName", "FXTFXTFXT",
                        "borderTransportModeCode", "1",
                        "inlandTransportModeCode", "3")),
                Arguments.of("export-eur-invoice", Map.of(
                        "lrn", "OBB88213",
                        "exchangeRate", "0.8512",
                        "borderTransportModeCode", "4",
                        "exitOfficeId", "GB000041",
                        "goodsLocationName", "LHRLHRLHR")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void canonicalFixtureIsSchemaValid(String name, Map<String, Object> params) throws Exception {
        var validator = SafeXml.validator(SafeXml.compileSchema(List.of(Path.of("mappings/schemas/trade-transaction-1.xsd"))));
        validator.validate(new StreamSource(CANONICAL.resolve(name + ".xml").toFile()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void producesValidDeclarationMatchingGolden(String name, Map<String, Object> params) throws Exception {
        byte[] canonical = Files.readAllBytes(CANONICAL.resolve(name + ".xml"));
        String declaration = template.requestBodyAndHeaders(XSLT, canonical, params, String.class);

        // Throws (ValidationException) when the declaration is not schema-valid.
        template.sendBody(VALIDATOR, declaration);

        Path golden = GOLDEN.resolve(name + ".dms.xml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, declaration, StandardCharsets.UTF_8);
        }
        Diff diff = DiffBuilder.compare(Files.readString(golden, StandardCharsets.UTF_8))
                .withTest(declaration)
                .ignoreWhitespace()
                .ignoreComments()
                .checkForSimilar()
                .build();
        assertFalse(diff.hasDifferences(), () -> name + " differs from its golden file: " + diff + "\n" + declaration);
    }

    @Test
    void missingExporterEoriStopsTheTransformationWithAClearMessage() throws Exception {
        byte[] canonical = Files.readAllBytes(CANONICAL.resolve("export-no-exporter-eori.xml"));
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeaders(XSLT, canonical, Map.of("lrn", "X1"), String.class));
        String messages = allMessages(e);
        assertTrue(messages.contains("the exporter (SellerTradeParty) has no EORI"), messages);
        assertTrue(messages.contains("5723049118021"), "names the order: " + messages);
    }

    @Test
    void foreignCurrencyWithoutExchangeRateIsRefused() throws Exception {
        byte[] canonical = Files.readAllBytes(CANONICAL.resolve("export-eur-invoice.xml"));
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeaders(XSLT, canonical, Map.of("lrn", "X2"), String.class));
        assertTrue(allMessages(e).contains("pass the exchangeRate parameter"), allMessages(e));
    }

    @Test
    void defaultsApplyWhenTheProfileGivesNothing() throws Exception {
        byte[] canonical = Files.readAllBytes(CANONICAL.resolve("export-single-line-gbp.xml"));
        String declaration = template.requestBody(XSLT, canonical, String.class);
        template.sendBody(VALIDATOR, declaration);
        assertTrue(declaration.contains("<FunctionalReferenceID>TH5723049118021</FunctionalReferenceID>"), declaration);
        assertTrue(declaration.contains("<ID>GB000040</ID>"), declaration);
        assertTrue(declaration.contains("<CurrentCode>10</CurrentCode>"), declaration);
        assertTrue(declaration.contains("<PreviousCode>40</PreviousCode>"), declaration);
    }

    /**
     * Why the wrapper schema exists: the HMRC entry point on its own rejects even HMRC's own sample TT_EX001a, because
     * it admits the Declaration only through a strict wildcard it never imports.
     */
    @Test
    void metadataEntryPointAloneCannotValidateADeclaration() throws Exception {
        byte[] sample = Files.readAllBytes(Path.of(
                "src/test/resources/hmrc-cds/examples/annotated_XML_samples/TT_EX001a/TT_EX001a.xml"));
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.sendBody(
                "validator:file:mappings/schemas/wco/declaration/DocumentMetaData_2_DMS.xsd", sample));
        assertTrue(allMessages(e).contains("no declaration can be found for element 'Declaration'"), allMessages(e));
        template.sendBody(VALIDATOR, sample);
    }

    private static String allMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
