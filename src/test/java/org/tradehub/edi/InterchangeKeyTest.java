package org.tradehub.edi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.tradehub.ledger.Ledger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resent interchange is recognised by partner, control number and {@link InterchangeKey}: the key of its segments
 * as the partner sent them. Keys are stored and must match resends after any upgrade of the hub, so the form is pinned
 * here, and that nothing the hub makes of the interchange enters it: above all its message XML, whose shape changed
 * (the earlier key was built from it, and an interchange received before that upgrade and resent after it was
 * recorded twice).
 */
class InterchangeKeyTest {

    /** Syntax 4, with a released separator, an empty position inside a segment and a repetition. */
    static final String INTERCHANGE = "UNA:+.?*'UNB+UNOC:4+5412345000013:14+4012345500004:14+20240131:0915+IC9'"
            + "UNH+M1+ORDERS:D:01B:UN'BGM+220+PO?+1++9'NAD+BY+5412345000013::9++Name*Second name'"
            + "FTX+AAI+++first*second*+EN'UNT+5+M1'UNZ+1+IC9'";

    @Test
    void theKeyIsTheSha256OfTheSegmentsWrittenInOneFixedSyntax() throws IOException {
        String segments = """
                UNB+UNOC:4+5412345000013:14+4012345500004:14+20240131:0915+IC9'
                UNH+M1+ORDERS:D:01B:UN'
                BGM+220+PO?+1++9'
                NAD+BY+5412345000013::9++Name*Second name'
                FTX+AAI+++first*second+EN'
                UNT+5+M1'
                UNZ+1+IC9'
                """;
        assertThat(key(INTERCHANGE)).isEqualTo(Ledger.sha256(segments.getBytes(StandardCharsets.UTF_8)));
    }

    /** A resend through another translator or channel may write the same data differently. */
    @Test
    void separatorsReleaseCharacterLineBreaksAndTrailingEmptyPositionsDoNotChangeIt() throws IOException {
        String otherSyntax = "UNA^|.!~'\r\nUNB|UNOC^4|5412345000013^14|4012345500004^14|20240131^0915|IC9'\r\n"
                + "UNH|M1|ORDERS^D^01B^UN'\r\nBGM|220|PO+1||9||'\r\nNAD|BY|5412345000013^^9^||Name~Second name~'\r\n"
                + "FTX|AAI|||first~second|EN'\r\nUNT|5|M1'\r\nUNZ|1|IC9'\r\n";
        assertThat(key(otherSyntax)).isEqualTo(key(INTERCHANGE));

        // X12: this fixture ends its segments with a line break; the same with ~, and with ~ and CRLF
        String fixture = Files.readString(Path.of("src/test/resources/edi/fixtures/x12-850-5010.edi"),
                StandardCharsets.ISO_8859_1);
        assertThat(key(fixture.replace("\n", "~"))).isEqualTo(key(fixture.replace("\n", "~\r\n")))
                .isEqualTo(key(fixture));
    }

    @Test
    void anyOtherDataChangesIt() throws IOException {
        assertThat(key(INTERCHANGE.replace("PO?+1", "PO?+2"))).isNotEqualTo(key(INTERCHANGE));
        assertThat(key(INTERCHANGE.replace("Name*Second", "Name*Other"))).isNotEqualTo(key(INTERCHANGE));
        // a value moved to another position is other data
        assertThat(key(INTERCHANGE.replace("BGM+220+PO?+1++9", "BGM+220+PO?+1+9"))).isNotEqualTo(key(INTERCHANGE));
    }

    /**
     * The same interchange read by a hub whose reader wrote the earlier message XML (elements named by pos
     * attributes; the text that reader wrote for this fixture) has the same key.
     */
    @Test
    void theMessageXmlShapeIsNotPartOfIt() throws IOException {
        byte[] fixture = Files.readAllBytes(Path.of("src/test/resources/edi/fixtures/orders-d96a.edi"));
        String earlierXml = Files.readString(Path.of("src/test/resources/edi/message-xml-with-pos/orders-d96a.xml"),
                StandardCharsets.UTF_8);
        InterchangeReport today = report(new String(fixture, StandardCharsets.ISO_8859_1));
        InterchangeReport earlier = new InterchangeReport();
        new EdiReader(EdiInterchanges.READ_TYPES).read(new ByteArrayInputStream(fixture), new EdiHandler() {
            @Override public void onInterchange(EdiEnvelope envelope) { earlier.onInterchange(envelope); }
            @Override public void onError(EdiError error) { earlier.onError(error); }
            @Override public void onInterchangeEnd(String sha256) { earlier.onInterchangeEnd(sha256); }
            @Override public void onEnd(EdiSummary summary) { earlier.onEnd(summary); }

            @Override
            public void onMessage(EdiMessage m) {
                earlier.onMessage(new EdiMessage(m.standard(), m.type(), m.version(), m.release(), m.agency(),
                        m.association(), m.controlRef(), m.groupControlRef(), m.interchangeControlRef(), m.index(),
                        m.segmentCount(), earlierXml, m.errors()));
            }
        });
        assertThat(today.messages().get(0).xml()).isNotEqualTo(earlierXml);
        assertThat(today.contentSha256()).isNotNull().isEqualTo(earlier.contentSha256());
    }

    /** Not read to its trailer: no key of its own (the hub identifies it by the payload's bytes). */
    @Test
    void aTruncatedInterchangeHasNone() throws IOException {
        String truncated = INTERCHANGE.substring(0, INTERCHANGE.indexOf("UNT+"));
        InterchangeReport report = report(truncated);
        assertThat(report.envelope()).isNotNull();
        assertThat(report.contentSha256()).isNull();
    }

    static String key(String interchange) throws IOException {
        String key = report(interchange).contentSha256();
        assertThat(key).as("key of " + interchange).isNotNull();
        return key;
    }

    static InterchangeReport report(String interchange) throws IOException {
        PayloadReport payload = new PayloadReport();
        new EdiReader(EdiInterchanges.READ_TYPES).read(
                new ByteArrayInputStream(interchange.getBytes(StandardCharsets.ISO_8859_1)), payload);
        assertThat(payload.parts()).hasSize(1);
        return payload.parts().get(0);
    }
}
