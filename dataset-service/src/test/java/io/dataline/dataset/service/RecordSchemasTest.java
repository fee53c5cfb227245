package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.dataset.versioning.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers what a record schema may reach (plain JUnit): a {@code $ref} to a local file or to a URL is refused when
 * the schema is set, naming where it stands and never quoting what it points at, and nothing is read or connected
 * to; a {@code $schema} other than 2020-12 is refused; references within the schema work; and a schema compiled
 * anyway loads no file.
 */
class RecordSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final RecordSchemas schemas = new RecordSchemas();

    @Test
    void shouldRefuseAReferenceToALocalFileWithoutReadingIt() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.json"), "{\"type\": \"string\", \"const\": \"TOP-SECRET-VALUE\"}");
        JsonNode schema = schema("{\"$ref\": \"" + secret.toUri() + "\"}");

        RecordSchemas.Result<KeyType> check = schemas.checkDatasetSchema(schema, "id");

        assertThat(check.ok()).isFalse();
        assertThat(check.problems()).extracting(RecordSchemas.Violation::pointer).containsExactly("/schema/properties/note/$ref");
        assertThat(check.problems().toString()).doesNotContain("TOP-SECRET-VALUE");
    }

    @Test
    void shouldRefuseAReferenceToAUrlWithoutConnecting() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            JsonNode schema = schema("{\"$ref\": \"http://127.0.0.1:" + listener.getLocalPort() + "/note.json\"}");

            RecordSchemas.Result<KeyType> check = schemas.checkDatasetSchema(schema, "id");

            assertThat(check.ok()).isFalse();
            assertThat(check.problems().get(0).message()).contains("only references within the schema");
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void shouldRefuseAnotherDialect() {
        JsonNode schema = schema("{\"type\": \"string\"}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) schema).put("$schema", "http://json-schema.org/draft-07/schema#");

        assertThat(schemas.checkDatasetSchema(schema, "id").problems()).extracting(RecordSchemas.Violation::pointer)
                .containsExactly("/schema/$schema");
    }

    @Test
    void shouldFollowReferencesWithinTheSchema() throws IOException {
        JsonNode schema = schema("{\"$ref\": \"#/$defs/short\"}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) schema).putObject("$defs").putObject("short").put("type", "string").put("maxLength", 3);

        assertThat(schemas.checkDatasetSchema(schema, "id").ok()).isTrue();
        assertThat(schemas.validate(1, 1, schema.toString(), JSON.readTree("{\"id\": \"a\", \"note\": \"abc\"}"))).isEmpty();
        assertThat(schemas.validate(1, 1, schema.toString(), JSON.readTree("{\"id\": \"a\", \"note\": \"abcd\"}")))
                .extracting(RecordSchemas.Violation::pointer).containsExactly("/note");
    }

    @Test
    void shouldTakeReferenceLikeMembersInDataKeywordsAsValues() {
        JsonNode schema = schema("{\"type\": \"object\", \"default\": {\"$ref\": \"http://example.com/x\"}, "
                + "\"examples\": [{\"$ref\": \"file:///etc/passwd\"}]}");

        assertThat(schemas.checkDatasetSchema(schema, "id").ok()).isTrue();
    }

    @Test
    void shouldLoadNoFileEvenForASchemaThatWasNeverChecked() throws IOException {
        Path secret = Files.writeString(dir.resolve("other.json"), "{\"type\": \"string\", \"const\": \"TOP-SECRET-VALUE\"}");
        JsonNode schema = schema("{\"$ref\": \"" + secret.toUri() + "\"}");

        assertThatThrownBy(() -> schemas.validate(2, 1, schema.toString(), JSON.readTree("{\"id\": \"a\", \"note\": \"x\"}")))
                .hasMessageNotContaining("TOP-SECRET-VALUE")
                .hasMessageContaining("not allowed");
    }

    /** {@code (a+)+$} backtracks exponentially in java.util.regex on "aaa…!"; here it is a linear scan. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed check
    void shouldMatchACatastrophicPatternInLinearTime() throws IOException {
        JsonNode schema = schema("{\"type\": \"string\", \"pattern\": \"^(a+)+$\"}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) schema).putObject("patternProperties").putObject("^(x+x+)+y$").put("type", "string");
        assertThat(schemas.checkDatasetSchema(schema, "id").ok()).isTrue();
        String evil = "a".repeat(50_000) + "!";

        List<RecordSchemas.Violation> violations = schemas.validate(3, 1, schema.toString(),
                JSON.readTree("{\"id\": \"a\", \"note\": \"" + evil + "\", \"" + "x".repeat(50_000) + "\": \"v\"}"));

        assertThat(violations).extracting(RecordSchemas.Violation::pointer).containsExactly("/note");
        assertThat(schemas.validate(3, 1, schema.toString(), JSON.readTree("{\"id\": \"a\", \"note\": \"aaaa\"}"))).isEmpty();
    }

    @Test
    void shouldRefuseAPatternThatCannotRunInLinearTimeOrIsTooLong() {
        JsonNode backReference = schema("{\"type\": \"string\", \"pattern\": \"^(a)\\\\1$\"}");
        JsonNode lookAhead = schema("{\"type\": \"string\", \"pattern\": \"^(?=a)a$\"}");
        JsonNode tooLong = schema("{\"type\": \"string\", \"pattern\": \"" + "a".repeat(1_001) + "\"}");

        for (JsonNode schema : List.of(backReference, lookAhead, tooLong)) {
            RecordSchemas.Result<KeyType> check = schemas.checkDatasetSchema(schema, "id");
            assertThat(check.ok()).as(schema.toString()).isFalse();
            assertThat(check.problems()).extracting(RecordSchemas.Violation::pointer).containsExactly("/schema/properties/note/pattern");
        }
    }

    /** An object schema with a string key {@code id} and a property {@code note} defined by {@code note}. */
    private static JsonNode schema(String note) {
        try {
            return JSON.readTree("{\"type\": \"object\", \"required\": [\"id\"], \"properties\": {\"id\": {\"type\": \"string\"}, \"note\": "
                    + note + "}}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
