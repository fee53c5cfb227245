package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks on record values that JSON Schema does not make: every number a finite double, every integer in int64, every
 * string and member name valid Unicode (no unpaired surrogate, which has no UTF-8 form and so no canonical hash).
 */
final class RecordChecks {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** Sees every value of a record with its JSON pointer, and every member name with the pointer of its value. */
    private interface Visitor {
        void value(JsonNode node, String pointer);

        default void memberName(String name, String pointer) {
        }
    }

    private RecordChecks() {
    }

    /**
     * Whether {@link #numbers} and {@link #strings} would find nothing, seen in one walk that builds no pointer: true
     * for all but the rare record that holds an integer beyond a long, a number that is not a finite double, or any
     * surrogate (paired ones are valid; the two checks then tell).
     */
    static boolean clean(JsonNode node) {
        switch (node.getNodeType()) {
            case NUMBER -> {
                if (node.isInt() || node.isLong()) {
                    return true;
                }
                return node.isIntegralNumber() ? inInt64(node) : Double.isFinite(node.doubleValue());
            }
            case STRING -> {
                return noSurrogate(node.textValue());
            }
            case ARRAY -> {
                for (int i = 0; i < node.size(); i++) {
                    if (!clean(node.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case OBJECT -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!noSurrogate(field.getKey()) || !clean(field.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    private static boolean inInt64(JsonNode integral) {
        BigInteger value = integral.bigIntegerValue();
        return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
    }

    private static boolean noSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Adds a {@code (pointer, message)} pair for every number that cannot be stored exactly enough. */
    static void numbers(JsonNode record, String pointer, List<String[]> problems) {
        walk(record, pointer, (node, at) -> {
            if (node.isIntegralNumber()) {
                if (!inInt64(node)) {
                    problems.add(new String[] {at, "integer outside int64 (write it as a decimal number if it is not an integer)"});
                }
            } else if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                problems.add(new String[] {at, "number is not a finite double"});
            }
        });
    }

    /** Adds a {@code (pointer, message)} pair for every string value or member name holding an unpaired surrogate. */
    static void strings(JsonNode record, String pointer, List<String[]> problems) {
        walk(record, pointer, new Visitor() {
            @Override
            public void value(JsonNode node, String at) {
                if (node.isTextual()) {
                    unpaired(node.asText(), at, "string", problems);
                }
            }

            @Override
            public void memberName(String name, String at) {
                unpaired(name, at, "member name", problems);
            }
        });
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        visitor.value(node, pointer);
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = pointer + "/" + printable(field.getKey()).replace("~", "~0").replace("/", "~1");
                visitor.memberName(field.getKey(), at);
                walk(field.getValue(), at, visitor);
            }
        }
    }

    /** The text with each unpaired surrogate written as {@code \\uXXXX}, so an error can name it in valid JSON. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void unpaired(String text, String pointer, String what, List<String[]> problems) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                problems.add(new String[] {pointer, what + " holds an unpaired surrogate (U+" + String.format("%04X", (int) c)
                        + "): not valid Unicode, so it has no canonical form"});
                return;
            }
        }
    }
}
