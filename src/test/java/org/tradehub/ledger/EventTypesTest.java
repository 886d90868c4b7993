package org.tradehub.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tradehub.as2.As2Messages;
import org.tradehub.singlewindow.DmsFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue a subscription's filter is checked against names every event type the code records: a type left
 * out could not be chosen by a firm, and a filter naming it would be refused.
 */
class EventTypesTest {

    /** {@code ledger.addEvent(id, "TYPE", ...)} and the AS2 station's {@code timeline(o, "TYPE", ...)}. */
    private static final Pattern LITERAL = Pattern.compile("(?:addEvent|timeline)\\([^,()]+(?:\\(\\))?,\\s*\"([A-Z0-9_]+)\"\\s*,");
    /** Types made in a conditional expression or a variable before the call: every quoted type-like name there. */
    private static final Pattern NAMED = Pattern.compile("\"([A-Z][A-Z0-9]*_[A-Z0-9_]+)\"");

    @Test
    void everyTypeTheCodeRecordsIsCatalogued() throws IOException {
        Set<String> recorded = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = Files.readString(source);
                Matcher m = LITERAL.matcher(code);
                while (m.find()) {
                    recorded.add(m.group(1));
                }
            }
        }
        // computed types: the single window's notifications, the AS2 station's outcomes, a provider's answers,
        // and the names chosen before the call in the classes that do so
        Arrays.stream(DmsFunction.values()).map(DmsFunction::eventType).forEach(recorded::add);
        recorded.add(DmsFunction.UNKNOWN_EVENT);
        recorded.add("AS2_" + As2Messages.DELIVERED);
        recorded.add("AS2_" + As2Messages.REJECTED);
        recorded.add(new org.tradehub.as2.As2Outbound.MdnOverdueException("late").timelineEventType());
        for (String status : "ACKNOWLEDGED|ACCEPTED|REJECTED|DONE|INFO".split("\\|")) {
            recorded.add("SERVICE_" + status);
        }
        for (String file : new String[] {"services/ProviderAnswers.java", "edi/EdiAnswers.java",
                "declaration/DmsNotifications.java", "ledger/DeadLetters.java"}) {
            Matcher m = NAMED.matcher(Files.readString(Path.of("src/main/java/org/tradehub", file)));
            while (m.find()) {
                if (m.group(1).matches("(ANSWER|EDI|DECLARATION|DELIVERY)_.*")) {
                    recorded.add(m.group(1));
                }
            }
        }
        recorded.remove("DECLARATION_FAILED"); // a transaction status in DeadLetters, not an event

        assertThat(recorded).as("the scan finds the types").contains("RECEIVED", "DECLARATION_SUBMITTED",
                "CONSOLIDATION_JOINED", "EDI_ACKNOWLEDGED", "ANSWER_CONFLICT", "DECLARATION_PARKED");
        assertThat(recorded).allSatisfy(type -> assertThat(EventTypes.known(type)).as(type + " in EventTypes").isTrue());
        assertThat(EventTypes.all()).extracting(EventTypes.Type::type).doesNotHaveDuplicates()
                .allSatisfy(type -> assertThat(recorded).as("catalogued but never recorded: " + type).contains(type));
    }
}
