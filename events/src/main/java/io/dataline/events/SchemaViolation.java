package io.dataline.events;

/** One way a JSON document breaks a schema: where (a JSON Pointer into the document) and what. */
public record SchemaViolation(String pointer, String message) {

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
