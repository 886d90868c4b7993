package org.tradehub.edi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Received interchange -> CONTRL / 997 / TA1 golden files (one segment per line in the golden file; the sent
 * acknowledgement has no line breaks). Every acknowledgement must itself be a clean interchange for the reader: what
 * we send, a partner's translator must be able to read. Goldens written with -Dgolden.update=true and reviewed.
 */
class AcknowledgementGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/edi/golden/acks");
    private static final LocalDateTime AT = LocalDateTime.of(2024, 2, 1, 10, 30);

    static final String ORDER = "BGM+220+PO1+9'DTM+137:20240131:102'NAD+BY+++B'CUX+2:EUR:9'"
            + "LIN+1++A1:SA'QTY+21:2'PRI+AAA:1.5'";
    static final String GOOD_AND_BAD = "UNB+UNOC:3+S:14+R:14+240131:0915+REF1'"
            + "UNH+1+ORDERS:D:96A:UN'" + ORDER + "UNT+9+1'"
            + "UNH+2+ORDERS:D:96A:UN'" + ORDER + "UNT+4+2'"
            + "UNZ+2+REF1'";
    static final String TRUNCATED = "UNB+UNOC:3+S:14+R:14+240131:0915+REF1'"
            + "UNH+1+ORDERS:D:96A:UN'" + ORDER + "UNT+9+1'"
            + "UNH+2+ORDERS:D:96A:UN'BGM+220+PO2";
    static final String X12_BAD_COUNT = "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *240131"
            + "*0915*U*00401*000000077*0*P*>~GS*PO*BUYER*SELLER*20240131*0915*77*X*004010~"
            + "ST*850*0001~BEG*00*SA*PO9**20240131~PO1*1*2*EA*3.5**VP*X~CTT*1~SE*5*0001~"
            + "ST*850*0002~BEG*00*SA*PO10**20240131~PO1*1*2*EA*3.5**VP*X~CTT*1~SE*9*0002~"
            + "GE*2*77~IEA*1*000000077~";
    static final String X12_TRUNCATED = X12_BAD_COUNT.substring(0, X12_BAD_COUNT.indexOf("ST*850*0002") + 30);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "orders-d96a, file:src/test/resources/edi/fixtures/orders-d96a.edi",
        "orders-d01b-eancom-unow-syntax4, file:src/test/resources/edi/fixtures/orders-d01b-eancom-decimal-comma.edi",
        "edinet-issue188-unsupported-and-bad-refs, file:src/test/resources/samples/edifact/edinet__edifact.Issue188.edi",
        "x12-850-5010, file:src/test/resources/edi/fixtures/x12-850-5010.edi",
        "edinet-x12-850-4010, file:src/test/resources/samples/x12/edinet__x12.850.edi",
        "edifact-good-and-bad-message, GOOD_AND_BAD",
        "edifact-truncated, TRUNCATED",
        "x12-good-and-bad-count, X12_BAD_COUNT",
        "x12-truncated, X12_TRUNCATED",
    })
    void acknowledgementMatchesGolden(String golden, String input) throws Exception {
        InterchangeReport report = read(input(input));
        Acknowledgements.Ack ack = Acknowledgements.build(report, to(report.standard()));
        check(golden, ack);
    }

    @Test
    void garbageIsRejectedInThePartnersStandard() throws Exception {
        byte[] garbage = "%PDF-1.7 this is not an interchange".getBytes(StandardCharsets.US_ASCII);
        check("edifact-garbage", Acknowledgements.build(read(garbage), to("EDIFACT")));
        check("x12-garbage", Acknowledgements.build(read(garbage), to("X12")));
    }

    @Test
    void goodMessageAcknowledgedBadOneRejectedWithPosition() throws Exception {
        String contrl = Acknowledgements.build(read(GOOD_AND_BAD.getBytes(StandardCharsets.ISO_8859_1)), to("EDIFACT")).text();
        assertTrue(contrl.contains("UCI+REF1+S:14+R:14+7'"), contrl);
        assertTrue(contrl.contains("UCM+1+ORDERS:D:96A:UN+7'"), contrl);
        // UNT element 1 says 4 segments, 9 were received: 29 = control count does not match
        assertTrue(contrl.contains("UCM+2+ORDERS:D:96A:UN+4+29+UNT+1'"), contrl);
    }

    static byte[] input(String name) throws Exception {
        if (name.startsWith("file:")) {
            return Files.readAllBytes(Path.of(name.substring(5)));
        }
        return ((String) AcknowledgementGoldenTest.class.getDeclaredField(name).get(null))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    static InterchangeReport read(byte[] bytes) throws Exception {
        InterchangeReport report = new InterchangeReport();
        new EdiReader(EdiInterchanges.READ_TYPES).read(new ByteArrayInputStream(bytes), report);
        return report;
    }

    private static Acknowledgements.Addressing to(String standard) {
        // ZZZ / ZZ: mutually defined identifiers (EDIFACT 0007 / X12 ISA05)
        String qualifier = "X12".equals(standard) ? "ZZ" : "ZZZ";
        return new Acknowledgements.Addressing(standard, "HUB", qualifier, "PARTNER", qualifier, 42, AT, false);
    }

    private static void check(String golden, Acknowledgements.Ack ack) throws Exception {
        // what we send must read cleanly: the partner's translator parses it with the same rules
        Collected back = Collected.readAll(ack.content());
        assertTrue(back.errors.isEmpty(), () -> golden + ": our acknowledgement has errors " + back.errors);
        assertTrue(back.summary.complete(), golden);
        String actual = ack.text().replace("'", "'\n").replace("~", "~\n");
        actual = actual.replace("UNA:+.? '\n", "UNA:+.? '");
        Path file = GOLDEN.resolve(golden + (ack.documentType().equals("CONTRL") ? ".contrl" : ".x12"));
        if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            assertFalse(!Boolean.getBoolean("golden.update"), "golden file was missing and has been written: " + file);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, golden);
    }
}
