package org.tradehub.services;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.diff.Diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden tests of the provider templates (mappings/outbound/canonical-to-<document>.xsl) through real Camel endpoints:
 * each output must be valid against its schema (mappings/schemas/services/) and equal the reviewed file under
 * src/test/resources/golden/services. The consolidated booking has two members, one of them low-value (EU H7, IOSS).
 * Run with -Dgolden.update=true to rewrite the golden files after a deliberate change (then review the diff).
 */
class ServiceTemplatesGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/services");
    private static final String JSON_SCHEMA =
            "json-validator:file:mappings/schemas/services/service-request.schema.json";
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"booking-request", "insurance-request", "financing-request", "fx-settlement-filing",
            "vat-refund-filing", "booking-request-consolidated", "declaration-instruction"})
    void templateOutputIsSchemaValidAndMatchesItsGoldenFile(String name) throws Exception {
        String document = name.replace("-consolidated", "");
        Service service = java.util.Arrays.stream(Service.values()).filter(s -> document.equals(s.document))
                .findFirst().orElseThrow();
        var provider = new ProviderRegistry.Provider("golden-provider", "forwarder", "Golden Provider", null, "LIC-1",
                null, null, null, "http", "http://localhost/x", null, "xml", null, 60, true, false);
        List<ServiceDispatch.Member> members = name.endsWith("consolidated")
                ? List.of(member("11111111-1111-1111-1111-111111111111", "export-eur-invoice", "EU-IOSS-H7"),
                member("22222222-2222-2222-2222-222222222222", "export-single-line-gbp", "EU-IOSS-H7"))
                : List.of(member("11111111-1111-1111-1111-111111111111", "export-multi-line-ship-to", null));
        String input = ServiceDispatch.envelope("SVGOLDEN0000000000000", service, provider,
                name.endsWith("consolidated") ? "IM2760000001" : null, name.endsWith("consolidated"), members)
                .replaceFirst("issuedAt=\"[^\"]*\"", "issuedAt=\"2025-11-21T10:00:00Z\"");
        if (service == Service.EXPORT_DECLARATION) {
            // the broker gets the DMS-ready declaration as the hub's own flow builds it (fixed LRN, the profile)
            String dms = template.requestBodyAndHeaders("xslt-saxon:file:mappings/outbound/canonical-to-dms-export.xsl",
                    new String(members.get(0).canonical(), StandardCharsets.UTF_8),
                    java.util.Map.of("lrn", "THGOLDEN00000000000000", "declarantEori", "GB427168118378"), String.class);
            template.requestBody("validator:file:mappings/schemas/wco/dms-declaration.xsd", dms);
            input = CustomsBrokers.attachDms(input, "THGOLDEN00000000000000", dms);
        }
        String out = template.requestBody("xslt-saxon:file:mappings/outbound/canonical-to-" + document + ".xsl",
                input, String.class);
        template.requestBody("validator:file:mappings/schemas/services/" + document + ".xsd", out);
        Path golden = GOLDEN.resolve(name + ".xml");
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, out);
        }
        Diff diff = DiffBuilder.compare(Files.readString(golden)).withTest(out).ignoreWhitespace().checkForSimilar()
                .build();
        assertThat(diff.hasDifferences()).as(diff.toString()).isFalse();
    }

    /**
     * The JSON form for providers registered with format json (mappings/outbound/service-request-to-json.xsl): each
     * reviewed XML request above becomes JSON that is valid against service-request.schema.json and equals its golden
     * file: decimals stay strings as written, repeatable elements are arrays even with one member.
     */
    @ParameterizedTest(name = "{0}.json")
    @ValueSource(strings = {"booking-request", "insurance-request", "financing-request", "fx-settlement-filing",
            "vat-refund-filing", "booking-request-consolidated"})
    void jsonFormIsSchemaValidAndMatchesItsGoldenFile(String name) throws Exception {
        String out = template.requestBody("xslt-saxon:file:mappings/outbound/service-request-to-json.xsl",
                Files.readString(GOLDEN.resolve(name + ".xml")), String.class);
        template.requestBody(JSON_SCHEMA, out);
        Path golden = GOLDEN.resolve(name + ".json");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.writeString(golden, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(out)));
        }
        assertThat(mapper.readTree(out)).isEqualTo(mapper.readTree(Files.readString(golden)));
    }

    /** The schema is a contract, not a formality: a float amount, a missing or unknown field, a goods item of the wrong
     * type or another version fail. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"value\" : \"588.38\"=>\"value\" : 588.38", "\"SumInsured\"=>\"SumInsuredX\"",
            "\"GoodsItem\" : [ {=>\"GoodsItem\" : [ \"x\", {", "\"version\" : \"1.0\"=>\"version\" : \"2.0\""})
    void jsonSchemaRefusesWhatAProviderCouldMisread(String change) throws Exception {
        String[] fromTo = change.split("=>");
        String valid = Files.readString(GOLDEN.resolve("insurance-request.json"));
        assertThat(valid).contains(fromTo[0]);
        String invalid = valid.replaceFirst(java.util.regex.Pattern.quote(fromTo[0]),
                java.util.regex.Matcher.quoteReplacement(fromTo[1]));
        assertThatThrownBy(() -> template.requestBody(JSON_SCHEMA, invalid))
                .hasRootCauseInstanceOf(org.apache.camel.component.jsonvalidator.JsonValidationException.class);
    }

    private static ServiceDispatch.Member member(String id, String canonical, String regime) throws Exception {
        return new ServiceDispatch.Member(id, regime, Files.readString(Path.of("src/test/resources/canonical",
                canonical + ".xml"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    }
}
