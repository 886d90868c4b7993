package org.tradehub.singlewindow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradehub.xml.SafeXml;

class DmsNotificationReaderTest {

    private static final Path EXAMPLES = Path.of(
            "src/test/resources/hmrc-cds/examples/annotated_XML_samples/Example_DMS_notifications");
    private final DmsNotificationReader reader = DmsNotificationReader.fromMappings(Path.of("mappings"));

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("01_DMSACC.xml", "01", "DMSACC", "DECLARATION_ACCEPTED", "3.1_P1_TT_1311RM41", "19GBCKKCQSXV2FGVA8"),
                Arguments.of("02_DMSRCV.xml", "02", "DMSRCV", "DECLARATION_RECEIVED", "3.1_P1_TT_1311RM41", "19GBCKKCQSXV2FGVA8"),
                Arguments.of("03_DMSREJ.xml", "03", "DMSREJ", "DECLARATION_REJECTED", "Sample_A_TC01_1102_03", "20GB1NA4Y2YSRFGVR6"),
                Arguments.of("05_DMSCTL.xml", "05", "DMSCTL", "DECLARATION_UNDER_CONTROL", "IM08a_PHYCTL_002", "20GB1Q3RTK463FGVR4"),
                Arguments.of("06_DMSDOC.xml", "06", "DMSDOC", "DECLARATION_UNDER_CONTROL", "CDCMRESLCTTT2211KM05", "23GBCXDLLRXMOCTAA4"),
                Arguments.of("07_DMSRES.xml", "07", "DMSRES", "DECLARATION_CORRECTED", "3.1_P1_TT_1311RM41", "19GBCKKCQSXV2FGVA8"),
                Arguments.of("08_DMSROG.xml", "08", "DMSROG", "GOODS_RELEASED", "R251_TC05_2111_13", "20GB1OJPU2P01FGVR4"),
                Arguments.of("09_DMSCLE.xml", "09", "DMSCLE", "DECLARATION_CLEARED", "3.1_P1_TT_1311RM41", "19GBCKKCQSXV2FGVA8"),
                Arguments.of("10_DMSINV.xml", "10", "DMSINV", "DECLARATION_INVALIDATED", "TC18_SM_1701_004", "20GB0NKQGSX2IX8PR5"),
                Arguments.of("11_DMSREQ.xml", "11", "DMSREQ", "REQUEST_ACCEPTED", "Comp_Amend_001", "20GB1OJPU2P01FGVR4"),
                Arguments.of("13_DMSTAX.xml", "13", "DMSTAX", "DUTY_CALCULATED", "IM08a_PHYCTL_002", "20GB1Q3RTK463FGVR4"),
                Arguments.of("14_DMSCPI.xml", "14", "DMSCPI", "PAYMENT_INSUFFICIENT", "TT_IM01a_CPI_0707_09", "20GB7HGPXUC5DFGVR2"),
                Arguments.of("15_DMSCPR.xml", "15", "DMSCPR", "PAYMENT_REMINDER", "TT_IM01a_CPI_0707_09", "20GB7HGPXUC5DFGVR2"),
                Arguments.of("16_DMSEOG.xml", "16", "DMSEOG", "GOODS_EXITED", "3.1_P1_TT_1311RM41", "19GBCKKCQSXV2FGVA8"),
                Arguments.of("17_DMSGER.xml", "18", "DMSGER", "EXIT_NOTICE", "U.7847610GCIRM", "24GB9WRD7U2Y5ISAA2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void readsEveryHmrcExample(String file, String code, String name, String event, String lrn, String mrn) throws Exception {
        DmsNotification n = reader.parse(Files.readAllBytes(EXAMPLES.resolve(file)));
        assertEquals(code, n.functionCode());
        assertEquals(name, n.name());
        assertEquals(event, n.eventType());
        assertEquals(lrn, n.lrn());
        assertEquals(mrn, n.mrn());
        assertNotNull(n.issueDateTime(), "issue date-time");
        assertNotNull(n.notificationId());
        assertTrue(n.summary().contains(lrn), n.summary());
    }

    @Test
    void rejectionCarriesCodesPointersAndAPlainSummary() throws Exception {
        DmsNotification n = reader.parse(Files.readAllBytes(EXAMPLES.resolve("03_DMSREJ.xml")));
        assertEquals(Instant.parse("2020-02-11T11:42:12Z"), n.issueDateTime());
        assertEquals(1, n.errors().size());
        DmsNotification.DmsError e = n.errors().get(0);
        assertEquals("CDS12005", e.validationCode());
        assertEquals("42A/17C R144", e.pointer());
        assertEquals("Declaration > AuthorisationHolder [tag R144]", e.location());
        assertTrue(n.summary().startsWith("Customs rejected declaration Sample_A_TC01_1102_03 (MRN 20GB1NA4Y2YSRFGVR6): CDS12005 ("),
                n.summary());
        assertTrue(n.summary().contains("at Declaration > AuthorisationHolder [tag R144]"), n.summary());
    }

    @Test
    void readsTheRealNamespacedFormAndNamesTheGoodsItem() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2" xmlns="urn:wco:datamodel:WCO:RES-DMS:2"
                    xmlns:ds="urn:wco:datamodel:WCO:Response_DS:DMS:2">
                  <md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>
                  <md:WCOTypeName>RES</md:WCOTypeName>
                  <Response>
                    <FunctionCode>03</FunctionCode>
                    <FunctionalReferenceID>abc</FunctionalReferenceID>
                    <IssueDateTime><ds:DateTimeString formatCode="304">20250314102205+01</ds:DateTimeString></IssueDateTime>
                    <Error>
                      <ValidationCode>CDS99999</ValidationCode>
                      <Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer>
                      <Pointer><DocumentSectionCode>67A</DocumentSectionCode></Pointer>
                      <Pointer><SequenceNumeric>2</SequenceNumeric><DocumentSectionCode>68A</DocumentSectionCode></Pointer>
                      <Pointer><DocumentSectionCode>23A</DocumentSectionCode><TagID>145</TagID></Pointer>
                    </Error>
                    <Declaration><FunctionalReferenceID>HK1042A</FunctionalReferenceID><ID>25GBABCDEFGHIJKLMN</ID></Declaration>
                  </Response>
                </md:MetaData>
                """;
        DmsNotification n = reader.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertEquals(Instant.parse("2025-03-14T09:22:05Z"), n.issueDateTime());
        DmsNotification.DmsError e = n.errors().get(0);
        assertEquals("42A/67A/68A(2)/23A 145", e.pointer());
        assertEquals(2, e.goodsItem());
        assertTrue(e.description().contains("CDS99999"), "unknown code explained generically: " + e.description());
        assertTrue(n.summary().contains("at goods item 2"), n.summary());
    }

    @Test
    void refusesDoctypeAndExternalEntities() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE MetaData [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <MetaData><Response><FunctionCode>01</FunctionCode><Declaration><ID>&x;</ID></Declaration></Response></MetaData>
                """;
        assertThrows(SafeXml.XmlRejectedException.class, () -> reader.parse(xxe.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesOversizedAndForeignDocuments() {
        byte[] big = new byte[DmsNotificationReader.MAX_BYTES + 1];
        assertThrows(SafeXml.XmlRejectedException.class, () -> reader.parse(big));
        assertThrows(SafeXml.XmlRejectedException.class,
                () -> reader.parse("<errorResponse/>".getBytes(StandardCharsets.UTF_8)));
    }
}
