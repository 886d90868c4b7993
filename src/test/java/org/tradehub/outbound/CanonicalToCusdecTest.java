package org.tradehub.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.QName;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.s9api.XsltExecutable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tradehub.edi.EdiReaderProbe;

/**
 * Canonical transaction -> CUSDEC D96B golden files, and the round trip: every CUSDEC we produce must be read back
 * by our own EDI reader as one clean CUSDEC message (correct UNT count, released separators, valid envelope), with the
 * LRN where the CUSRES correlation expects it.
 */
class CanonicalToCusdecTest {

    private static final Processor SAXON = new Processor(false);
    private static final Path GOLDEN = Path.of("src/test/resources/golden/cusdec");

    static String transform(String canonicalFile, Map<String, String> params) throws Exception {
        XsltExecutable exec = SAXON.newXsltCompiler()
                .compile(new StreamSource(new File("mappings/outbound/canonical-to-cusdec.xsl")));
        Xslt30Transformer t = exec.load30();
        Map<QName, XdmValue> p = new HashMap<>();
        params.forEach((k, v) -> p.put(new QName(k), new XdmAtomicValue(v)));
        t.setStylesheetParameters(p);
        StringWriter out = new StringWriter();
        t.transform(new StreamSource(new File(canonicalFile)), SAXON.newSerializer(out));
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"export-single-line-gbp", "export-multi-line-ship-to", "export-eur-invoice"})
    void cusdecMatchesGoldenAndReadsBackClean(String name) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("lrn", "TH0123456789ABCDEF0123", "controlRef", "17",
                "ourId", "GB123456789000", "ourQualifier", "ZZZ", "theirId", "SINGLEWINDOW", "theirQualifier", "ZZZ",
                "interchangeDate", "250314", "interchangeTime", "1030", "documentDateTime", "202503141030"));
        params.putAll(Map.of("declarantEori", "GB123456789000", "exitOfficeId", "GB000040", "procedureCode", "1000"));
        String cusdec = transform("src/test/resources/canonical/" + name + ".xml", params);

        EdiReaderProbe.Result back = EdiReaderProbe.read(cusdec.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(back.errors().isEmpty(), () -> name + ": " + back.errors() + "\n" + cusdec);
        assertEquals(1, back.messages().size());
        assertEquals("CUSDEC", back.messages().get(0).type());
        assertEquals("96B", back.messages().get(0).release());
        assertEquals("TH0123456789ABCDEF0123", EdiReaderProbe.value(back.messages().get(0), "RFF", 1, 2));

        Path file = GOLDEN.resolve(name + ".cusdec");
        String readable = cusdec.replace("'", "'\n").replace("UNA:+.? '\n", "UNA:+.? '");
        if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
            Files.writeString(file, readable, StandardCharsets.UTF_8);
            assertFalse(!Boolean.getBoolean("golden.update"), "golden file was missing and has been written: " + file);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), readable, name);
    }
}
