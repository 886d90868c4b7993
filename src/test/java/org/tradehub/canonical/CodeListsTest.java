package org.tradehub.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class CodeListsTest {

    private final CodeLists lists = new CodeLists(Path.of("mappings/codelists"));

    @Test
    void loadsEveryList() {
        assertThat(lists.isCountry("NA")).as("Namibia, not a missing value").isTrue();
        assertThat(lists.countryName("GB")).isEqualTo("United Kingdom of Great Britain and Northern Ireland");
        assertThat(lists.suggestCountry("Germany")).isEqualTo("DE");
        assertThat(lists.suggestCountry("usa")).isEqualTo("US");
        assertThat(lists.isCurrency("EUR")).isTrue();
        assertThat(lists.isCurrency("DEM")).as("withdrawn").isFalse();
        assertThat(lists.currencyMinorUnits("JPY")).isZero();
        assertThat(lists.isUnit("C62")).isTrue();
        assertThat(lists.isUnit("H87")).isTrue();
        assertThat(lists.isUnit("PCS")).isFalse();
        assertThat(lists.hsDescription("610910")).isNotNull();
        assertThat(lists.hsDescription("999999")).as("Comtrade's 'not specified' row is not HS").isNull();
        assertThat(lists.incoterms()).containsExactly("CFR", "CIF", "CIP", "CPT", "DAP", "DDP", "DPU", "EXW", "FAS", "FCA", "FOB");
        assertThat(lists.isLocodeShape("GBLON")).isTrue();
        assertThat(lists.isLocodeShape("GBL0N")).as("0 and 1 are not LOCODE characters").isFalse();
        assertThat(lists.isLocodeShape("QQLON")).isFalse();
    }

    @Test
    void descriptionsAreTheSecondColumnByTheFirst(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = dir.resolve("codes.csv");
        java.nio.file.Files.writeString(csv, "\uFEFFcode,description\n26,duplicate detected\n"
                + "CDS1,\"a value, with a comma\"\nCDS2,an unquoted, comma\n,no code\n");
        assertThat(CodeLists.descriptions(csv)).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "26", "duplicate detected", "CDS1", "a value, with a comma", "CDS2", "an unquoted, comma"));
        assertThat(CodeLists.descriptions(Path.of("mappings/codelists/x12-interchange-notes-i18.csv")))
                .containsEntry("025", "duplicate interchange control number");
        assertThat(CodeLists.descriptions(Path.of("mappings/codelists/cds-error-codes.csv"))).containsKey("CDS12003");
    }

    @Test
    void csvParserHandlesQuotesCommasLineBreaksAndBom() {
        List<List<String>> records = CodeLists.Csv.parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\n");
        assertThat(records).containsExactly(List.of("a", "b"), List.of("x, y", "say \"hi\""), List.of("two\nlines", ""));
    }
}
