package org.tradehub.bench;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.xml.transform.Templates;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JFR summary charges each sample to the right library and stage. */
class JfrProfileTest {

    @Test
    void aSampleIsChargedToTheTopmostLibraryOutsideTheJdksGeneralClasses() {
        assertEquals("H2 database", JfrProfile.componentOf(List.of("java.util.HashMap", "org.h2.mvstore.MVMap",
                "org.tradehub.ledger.Ledger")));
        assertEquals("hub's own code", JfrProfile.componentOf(List.of("java.lang.String", "java.util.ArrayDeque",
                "org.tradehub.canonical.CanonicalSummary", "net.sf.saxon.Controller")));
        // the JDK's own XML parser and HTTP client are components, not "the JDK"
        assertEquals("XML parsing and schema validation (JDK)", JfrProfile.componentOf(List.of("java.lang.String",
                "com.sun.org.apache.xerces.internal.impl.xs.XMLSchemaValidator", "org.apache.camel.support.Foo")));
        assertEquals("HTTP clients", JfrProfile.componentOf(List.of("jdk.internal.net.http.Http1Exchange",
                "org.tradehub.sandbox.SandboxNotifier")));
        assertEquals(JfrProfile.OTHER, JfrProfile.componentOf(List.of("java.util.HashMap", "com.example.Thing")));
        assertEquals(JfrProfile.JDK_ONLY, JfrProfile.componentOf(List.of("java.lang.Thread")));
    }

    @Test
    void readsARecordingOfThreadsNamedLikeTheHubsStages(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("test.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5)).withStackTrace();
            recording.start();
            Thread intake = new Thread(JfrProfileTest::transformFor1500ms,
                    "Camel (camel-1) thread #4 - JmsConsumer[hub.orders.received]");
            Thread http = new Thread(JfrProfileTest::insertFor1500ms, "http-nio-8080-exec-3");
            intake.start();
            http.start();
            intake.join();
            http.join();
            recording.stop();
            recording.dump(jfr);
        }
        JfrProfile profile = JfrProfile.read(jfr);
        Map<String, Double> intake = profile.shares("intake");
        Map<String, Double> http = profile.shares("http");
        double intakeAll = intake.values().stream().mapToDouble(d -> d).sum();
        double httpAll = http.values().stream().mapToDouble(d -> d).sum();
        assertTrue(intakeAll > 10 && httpAll > 10, "both stages sampled: " + intake + " / " + http);
        assertTrue(intake.getOrDefault("Saxon (XSLT, XPath)", 0.0) > intakeAll / 2, "Saxon's: " + intake);
        assertTrue(http.getOrDefault("H2 database", 0.0) > httpAll / 2, "H2's: " + http);
        assertTrue(Files.exists(JfrProfile.summarize(jfr, "test")));
        assertTrue(profile.markdown("test").contains("| Saxon (XSLT, XPath) |"), profile.markdown("test"));
    }

    private static void transformFor1500ms() {
        try {
            Templates t = new net.sf.saxon.TransformerFactoryImpl().newTemplates(new StreamSource(new StringReader("""
                    <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
                      <xsl:template match="/"><out><xsl:for-each select="//i"><n><xsl:value-of select=". * 2"/></n></xsl:for-each></out></xsl:template>
                    </xsl:stylesheet>""")));
            StringBuilder doc = new StringBuilder("<r>");
            for (int i = 0; i < 200; i++) {
                doc.append("<i>").append(i).append("</i>");
            }
            String xml = doc.append("</r>").toString();
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                t.newTransformer().transform(new StreamSource(new StringReader(xml)), new StreamResult(new StringWriter()));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insertFor1500ms() {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:jfrprofile");
             Statement s = c.createStatement()) {
            s.execute("create table t (id bigint primary key, v varchar(100))");
            try (PreparedStatement insert = c.prepareStatement("insert into t values (?, ?)")) {
                long end = System.nanoTime() + 1_500_000_000L;
                for (long i = 0; System.nanoTime() < end; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "value " + i);
                    insert.executeUpdate();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
