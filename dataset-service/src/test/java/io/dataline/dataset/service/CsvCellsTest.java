package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Covers CSV export cells: RFC 4180 quoting, and texts a spreadsheet would run as formulas written inert. */
class CsvCellsTest {

    @Test
    void shouldDefuseTextsThatASpreadsheetWouldRunAsFormulas() {
        assertThat(VersionService.csvText("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(VersionService.csvText("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(VersionService.csvText("-2+3")).isEqualTo("'-2+3");
        assertThat(VersionService.csvText("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(VersionService.csvText("\tx")).isEqualTo("'\tx");
    }

    @Test
    void shouldLeaveOrdinaryTextsAndNumbersAsTheyAre() {
        assertThat(VersionService.csvText("great product")).isEqualTo("great product");
        assertThat(VersionService.csvText("a, b")).isEqualTo("\"a, b\"");
        assertThat(VersionService.csvText("")).isEqualTo("");
        assertThat(VersionService.csvCell("-1.5")).isEqualTo("-1.5");
    }
}
