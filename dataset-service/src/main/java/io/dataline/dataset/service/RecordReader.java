package io.dataline.dataset.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.service.rest.ProblemException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Reads the records of a {@code POST /records} body one at a time, never the whole body at once: a JSON array
 * (bounded by the body limit, 413 above it) or NDJSON (one record per line, bounded by the upload limit; a line that is
 * not JSON is a record error, not a failed request).
 */
abstract class RecordReader implements AutoCloseable {

    private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);

    /** One parsed line or element: the JSON, or why it could not be read. */
    record Item(int index, Integer line, JsonNode json, String error, String errorPointer) {
        Item(int index, Integer line, JsonNode json, String error) {
            this(index, line, json, error, "");
        }
    }

    /** The next record, or null at the end. */
    abstract Item next();

    /** How many bytes of the body the item {@link #next} returned last took (what its parsed form is held against). */
    abstract long lastBytes();

    @Override
    public abstract void close();

    static RecordReader jsonArray(ObjectMapper mapper, InputStream body, long maxBytes) {
        return new ArrayReader(mapper, new Limited(body, maxBytes, "the JSON body is over the limit of " + maxBytes
                + " bytes; send large uploads as NDJSON (application/x-ndjson)"));
    }

    static RecordReader ndjson(ObjectMapper mapper, InputStream body, int maxLineBytes, long maxBytes) {
        return new NdjsonReader(mapper, new Limited(body, maxBytes, "the NDJSON upload is over the limit of " + maxBytes
                + " bytes (dataline.records.max-upload-bytes); split it into several requests"), maxLineBytes);
    }

    private static final class ArrayReader extends RecordReader {
        private final com.fasterxml.jackson.databind.ObjectReader records;
        private final JsonParser parser;
        private int index;
        private long lastBytes;

        ArrayReader(ObjectMapper mapper, InputStream in) {
            this.records = records(mapper);
            try {
                this.parser = mapper.getFactory().createParser(in);
                JsonToken first = parser.nextToken();
                if (first != JsonToken.START_ARRAY) {
                    throw ProblemException.badRequest("the body must be a JSON array of records (or NDJSON with Content-Type: application/x-ndjson)");
                }
            } catch (IOException e) {
                throw malformed(e);
            }
        }

        @Override
        Item next() {
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    if (parser.nextToken() != null) {
                        throw ProblemException.badRequest("malformed JSON body: content after the closing ']'");
                    }
                    return null;
                }
                if (token == null) {
                    throw ProblemException.badRequest("malformed JSON body: the array is not closed");
                }
                JsonNode node;
                long start = parser.currentTokenLocation().getByteOffset();
                try {
                    node = records.readTree(parser);
                    lastBytes = Math.max(1, parser.currentLocation().getByteOffset() - start);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    if (duplicate(e)) {
                        // the parser stops inside the record: report it, and nothing of the request is staged
                        // the parser's path starts at the body's array: drop the record's index
                        throw ProblemException.invalid("the request holds an invalid record", List.of(Map.of("index", index, "pointer",
                                pointer(parser).replaceFirst("^/\\d+", ""), "message", duplicateMessage(parser))));
                    }
                    throw e;
                }
                return new Item(index++, null, node, null);
            } catch (IOException e) {
                throw malformed(e);
            }
        }

        @Override
        long lastBytes() {
            return lastBytes;
        }

        private static RuntimeException malformed(IOException e) {
            if (e instanceof TooLarge tooLarge) {
                return new ProblemException(413, "Content Too Large", tooLarge.getMessage());
            }
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            return ProblemException.badRequest("malformed JSON body: " + message);
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Reads records as trees, refusing a member name given twice in one object: RFC 8785 canonicalises I-JSON, which
     * forbids it, and a last-wins reading would store something other than what was sent. The tree finds the name
     * it already holds when it adds the member, so no parser keeps a set of each object's names beside it.
     */
    private static com.fasterxml.jackson.databind.ObjectReader records(ObjectMapper mapper) {
        return mapper.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    private static boolean duplicate(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field");
    }

    /** The message for a member given twice, naming it. */
    private static String duplicateMessage(JsonParser parser) {
        return "a member name appears twice in one object (Duplicate field '" + holder(parser).getCurrentName() + "'): records must be I-JSON";
    }

    /** The context of the object the tree refused a member of (see {@link #pointer}). */
    private static com.fasterxml.jackson.core.JsonStreamContext holder(JsonParser parser) {
        com.fasterxml.jackson.core.JsonStreamContext context = parser.getParsingContext();
        return parser.currentToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.START_ARRAY ? context.getParent() : context;
    }

    /**
     * The JSON pointer of the object holding the member given twice. The tree refuses it at its value: a scalar, read
     * in the holder's context, or the start of an object or array, whose own context the parser has entered already.
     */
    private static String pointer(JsonParser parser) {
        com.fasterxml.jackson.core.JsonStreamContext context = holder(parser);
        return context.inObject() && context.getParent() != null ? context.getParent().pathAsPointer().toString() : context.pathAsPointer().toString();
    }

    /** The index of the first {@code '\n'} in {@code bytes[from, to)}, or -1; eight bytes at a time. */
    static int newline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONG.get(bytes, i) ^ 0x0a0a0a0a0a0a0a0aL; // a zero byte where a '\n' was
            long found = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (found != 0) {
                return i + Long.numberOfTrailingZeros(found) / 8; // the lowest flagged byte is a real zero
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static final class NdjsonReader extends RecordReader {
        private final ObjectMapper mapper;
        private final com.fasterxml.jackson.databind.ObjectReader records;
        private final InputStream in;
        private final int maxLineBytes;
        private int index;
        private int line;
        private boolean ended;
        private long lastBytes;

        @Override
        long lastBytes() {
            return lastBytes;
        }

        NdjsonReader(ObjectMapper mapper, InputStream in, int maxLineBytes) {
            this.mapper = mapper;
            this.records = records(mapper);
            this.in = in;
            this.maxLineBytes = maxLineBytes;
        }

        /** The body is read 64 KiB at a time and split on newlines here (not one read call per byte). */
        private final byte[] chunk = new byte[64 * 1024];
        private int position;
        private int limit;
        private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(512);

        @Override
        Item next() {
            try {
                while (true) {
                    byte[] source;
                    int start;
                    int length;
                    int end = newline(chunk, position, limit);
                    if (end >= 0) {
                        // the whole line is in the chunk: parsed where it is, no copy
                        line++;
                        source = chunk;
                        start = position;
                        length = end - position;
                        position = end + 1;
                        if (length > maxLineBytes) {
                            return tooLong();
                        }
                    } else if (ended) {
                        return null;
                    } else {
                        Item tooLong = lineAcrossChunks();
                        if (tooLong != null) {
                            return tooLong;
                        }
                        source = lineBuffer.toByteArray();
                        start = 0;
                        length = source.length;
                    }
                    if (blank(source, start, length)) {
                        continue;
                    }
                    lastBytes = length;
                    JsonParser parser = mapper.getFactory().createParser(source, start, length);
                    try {
                        JsonNode node = records.readTree(parser);
                        if (parser.nextToken() != null) {
                            return new Item(index++, line, null, "malformed JSON line: more than one value on the line");
                        }
                        return new Item(index++, line, node, null);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        if (duplicate(e)) {
                            return new Item(index++, line, null, duplicateMessage(parser), pointer(parser));
                        }
                        return new Item(index++, line, null, "malformed JSON line: " + e.getOriginalMessage());
                    }
                }
            } catch (TooLarge e) {
                throw new ProblemException(413, "Content Too Large", e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the request body", e);
            }
        }

        /**
         * Reads a line that does not end in the chunk (or the last line, at the end of the body) into the line
         * buffer, reading the body on as needed: the error of a line over the limit, else null.
         */
        private Item lineAcrossChunks() throws IOException {
            lineBuffer.reset();
            boolean tooLong = false;
            boolean newline = false;
            while (!newline) {
                if (position >= limit) {
                    limit = in.read(chunk);
                    position = 0;
                    if (limit < 0) {
                        limit = 0;
                        ended = true;
                        break;
                    }
                    continue;
                }
                int end = newline(chunk, position, limit);
                newline = end >= 0;
                if (!newline) {
                    end = limit;
                }
                int room = maxLineBytes - lineBuffer.size();
                int length = end - position;
                if (length > room) {
                    tooLong = true;
                }
                lineBuffer.write(chunk, position, Math.max(0, Math.min(length, room)));
                position = newline ? end + 1 : end;
            }
            line++;
            return tooLong ? tooLong() : null;
        }

        /** The error of the line just read: longer than a record may be. */
        private Item tooLong() {
            return new Item(index++, line, null, "the line is over the maximum record size of " + maxLineBytes + " bytes");
        }

        /** An empty line, or only spaces, tabs and a carriage return: skipped, as the NDJSON spec allows. */
        private static boolean blank(byte[] bytes, int start, int length) {
            for (int i = start; i < start + length; i++) {
                byte b = bytes[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            // the container owns the body stream
        }
    }

    /** Counts bytes and fails past the limit. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private final String message;
        private long count;

        Limited(InputStream in, long max, String message) {
            super(in);
            this.max = max;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b != -1 && ++count > max) {
                throw new TooLarge(message);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (count += n) > max) {
                throw new TooLarge(message);
            }
            return n;
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }
}
