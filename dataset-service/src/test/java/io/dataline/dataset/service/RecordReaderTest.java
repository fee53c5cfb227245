package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.service.rest.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NDJSON bodies read line by line: lines inside the 64 KiB read buffer are parsed where they are, lines across its
 * edge are gathered first, and both give the same records, errors and line numbers, however the body arrives.
 */
class RecordReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the reader made of each line: the canonical record, or the error with its pointer. */
    private static List<String> read(byte[] body, int chunk, int maxLineBytes) {
        InputStream in = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk)); // a body that arrives a few bytes at a time
            }
        };
        List<String> items = new ArrayList<>();
        try (RecordReader reader = RecordReader.ndjson(MAPPER, in, maxLineBytes, Long.MAX_VALUE)) {
            for (RecordReader.Item item = reader.next(); item != null; item = reader.next()) {
                items.add(item.index() + "@" + item.line() + " " + (item.json() != null ? item.json() + " " + reader.lastBytes()
                        : item.errorPointer() + " " + item.error()));
            }
        }
        return items;
    }

    @Test
    void shouldReadTheSameLinesWhereverTheReadsEnd() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            body.append("{\"id\":\"r").append(i).append("\",\"text\":\"").append("é".repeat(i % 40)).append("\"}");
            body.append(i % 7 == 0 ? "\r\n" : "\n");
            if (i % 500 == 0) {
                body.append("\n  \t\n"); // blank lines: skipped, but counted
            }
        }
        body.append("{\"id\":\"last\"}"); // no newline at the end
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

        List<String> whole = read(bytes, Integer.MAX_VALUE, 1 << 20);
        assertThat(whole).hasSize(3001);
        assertThat(whole.get(0)).isEqualTo("0@1 {\"id\":\"r0\",\"text\":\"\"} 22"); // "\r" is part of the line's bytes
        assertThat(whole.get(1)).isEqualTo("1@4 {\"id\":\"r1\",\"text\":\"é\"} 23");
        assertThat(whole.get(3000)).startsWith("3000@3013 {\"id\":\"last\"}");
        for (int chunk : new int[] {1, 7, 64, 4096, 65_535}) {
            assertThat(read(bytes, chunk, 1 << 20)).as("reads of %d bytes", chunk).isEqualTo(whole);
        }
    }

    @Test
    void shouldReportLinesOverTheLimitAndBadLinesAndGoOn() {
        String body = "{\"id\":\"a\"}\n{\"id\":\"" + "x".repeat(100) + "\"}\n{\"id\":\"b\",\"id\":\"c\"}\n{\"a\":{\"k\":1,\"k\":2}}\n"
                + "not json\n{\"id\":1} {\"id\":2}\n" + "y".repeat(300) + "\n{\"id\":\"d\"}\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String> whole = read(bytes, Integer.MAX_VALUE, 64);
        assertThat(whole).hasSize(8);
        assertThat(whole.get(0)).isEqualTo("0@1 {\"id\":\"a\"} 10");
        assertThat(whole.get(1)).isEqualTo("1@2  the line is over the maximum record size of 64 bytes");
        assertThat(whole.get(2)).startsWith("2@3  a member name appears twice");
        assertThat(whole.get(3)).startsWith("3@4 /a a member name appears twice");
        assertThat(whole.get(4)).startsWith("4@5  malformed JSON line:");
        assertThat(whole.get(5)).isEqualTo("5@6  malformed JSON line: more than one value on the line");
        assertThat(whole.get(6)).isEqualTo("6@7  the line is over the maximum record size of 64 bytes");
        assertThat(whole.get(7)).isEqualTo("7@8 {\"id\":\"d\"} 10");
        for (int chunk : new int[] {1, 3, 50, 65, 1000}) {
            assertThat(read(bytes, chunk, 64)).as("reads of %d bytes", chunk).isEqualTo(whole);
        }
    }

    @Test
    void shouldNameTheObjectAndTheMemberGivenTwiceWhateverItsValue() {
        String body = "{\"k\":1,\"k\":2}\n{\"a\":{\"k\":1,\"k\":{\"x\":1}}}\n{\"a\":[1,{\"b\":{\"k\":[1],\"k\":[2,3]}}]}\n"
                + "{\"k\":{},\"j\":0,\"k\":{}}\n{\"a\":{\"k\":{\"k\":1},\"j\":{\"k\":2}}}\n";
        List<String> items = read(body.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE, 1024);
        assertThat(items).containsExactly(
                "0@1  a member name appears twice in one object (Duplicate field 'k'): records must be I-JSON",
                "1@2 /a a member name appears twice in one object (Duplicate field 'k'): records must be I-JSON",
                "2@3 /a/1/b a member name appears twice in one object (Duplicate field 'k'): records must be I-JSON",
                "3@4  a member name appears twice in one object (Duplicate field 'k'): records must be I-JSON",
                "4@5 {\"a\":{\"k\":{\"k\":1},\"j\":{\"k\":2}}} 31"); // one name in different objects is no duplicate

        RecordReader array = RecordReader.jsonArray(MAPPER, new java.io.ByteArrayInputStream(
                "[{\"id\":\"a\"},{\"id\":\"b\",\"m\":[{\"x\":{},\"x\":[]}]}]".getBytes(StandardCharsets.UTF_8)), 1 << 20);
        assertThat(array.next().json().toString()).isEqualTo("{\"id\":\"a\"}");
        assertThatThrownBy(array::next).isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.toProblem().errors()).containsExactly(
                java.util.Map.of("index", 1, "pointer", "/m/0", "message",
                        "a member name appears twice in one object (Duplicate field 'x'): records must be I-JSON")));
    }

    @Test
    void shouldFindTheNewlineAtEveryOffsetOfAWord() {
        for (int length = 0; length < 40; length++) {
            for (int at = -1; at < length; at++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 0x0b); // one above '\n': a borrow must not flag it
                if (at >= 0) {
                    bytes[at] = '\n';
                    if (at + 1 < length) {
                        bytes[at + 1] = '\n';
                    }
                }
                for (int from = 0; from <= length; from++) {
                    int expected = -1;
                    for (int i = length - 1; i >= from; i--) {
                        expected = bytes[i] == '\n' ? i : expected;
                    }
                    assertThat(RecordReader.newline(bytes, from, length)).as("length %d, newline at %d, from %d", length, at, from)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldRefuseAnUploadOverItsLimit() {
        byte[] bytes = "{\"id\":\"a\"}\n{\"id\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        RecordReader reader = RecordReader.ndjson(MAPPER, new ByteArrayInputStream(bytes), 1024, 15);
        assertThatThrownBy(() -> {
            while (reader.next() != null) {
                // read on until the limit is passed
            }
        }).isInstanceOf(ProblemException.class).hasMessageContaining("over the limit of 15 bytes");
    }
}
