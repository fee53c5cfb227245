package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Covers CSV export cells: RFC 4180 quoting, and texts a spreadsheet would run as formulas written inert. */
class CsvCellsTest {

    /** A text, and the cell it becomes: formulas defused with a leading quote, ordinary texts as they are (quoted if need be). */
    static Stream<Arguments> texts() {
        return Stream.of(
                arguments("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
                arguments("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
                arguments("-2+3", "'-2+3"),
                arguments("@SUM(A1)", "'@SUM(A1)"),
                arguments("\tx", "'\tx"),
                arguments("great product", "great product"),
                arguments("a, b", "\"a, b\""),
                arguments("", ""));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void shouldDefuseTextsThatASpreadsheetWouldRunAsFormulasAndLeaveOthersAsTheyAre(String text, String cell) {
        assertThat(VersionService.csvText(text)).isEqualTo(cell);
    }

    @Test
    void shouldLeaveNumbersAsTheyAre() {
        assertThat(VersionService.csvCell("-1.5")).isEqualTo("-1.5");
    }
}
