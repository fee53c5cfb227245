package io.dataline.dataset.versioning;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (RFC 8785) of a record: object members sorted by their UTF-16 code units, no
 * white space, strings with the minimal escapes, numbers in the ECMAScript shortest form.
 * <p>
 * One deliberate difference: an integer that fits in int64 is written with all its digits (RFC 8785 would round
 * integers beyond 2^53 through a double). Up to 2^53 the two agree; beyond it Dataline keeps an int64 key or value
 * exact instead of silently changing it. Callers reject numbers that are not finite doubles before this point.
 */
public final class CanonicalJson {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode node) {
        return string(node).getBytes(StandardCharsets.UTF_8);
    }

    public static String string(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue());
            case NUMBER -> out.append(number(node));
            case STRING -> string(node.textValue(), out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    members.add(it.next());
                }
                members.sort(Map.Entry.comparingByKey()); // String.compareTo compares UTF-16 code units, as RFC 8785 asks
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(members.get(i).getKey(), out);
                    out.append(':');
                    write(members.get(i).getValue(), out);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
        }
    }

    /** A JSON number in canonical form; exact for integers in int64, else the ECMAScript form of the double. */
    static String number(JsonNode node) {
        if (node.isInt() || node.isLong()) {
            return Long.toString(node.longValue()); // most integers: no BigInteger needed
        }
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
                return value.toString();
            }
        } else if (node.isBigDecimal()) {
            try {
                return Long.toString(node.decimalValue().longValueExact());
            } catch (ArithmeticException notAnExactLong) {
                // fall through to the double form
            }
        }
        return ecmaScript(node.doubleValue());
    }

    /** ECMAScript Number.prototype.toString of a finite double (RFC 8785 section 3.2.2.3). */
    static String ecmaScript(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        if (value == 0) {
            return "0";
        }
        String java = DoubleToDecimal.toString(value); // shortest digits, Java layout: 123.45, -7.0, 1.0E21, 1.2E-7
        if (java.indexOf('E') < 0) {
            // 10^-3 <= |value| < 10^7: Java's plain layout is ECMAScript's but for the ".0" of an integer; with at
            // least 17 significant digits of precision here, the shortest digits need no two-digit correction
            return java.endsWith(".0") ? java.substring(0, java.length() - 2) : java;
        }
        return general(value, java.charAt(0) == '-' ? java.substring(1) : java);
    }

    /** {@link #ecmaScript} of any finite non-zero double from its Java form (exposed to test the shortcut against). */
    static String ecmaScriptGeneral(double value) {
        return general(value, DoubleToDecimal.toString(Math.abs(value)));
    }

    private static String general(double value, String java) {
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int pointPosition = dot + exponent; // value = 0.digits × 10^pointPosition after normalisation below
        int leading = 0;
        while (leading < digits.length() - 1 && digits.charAt(leading) == '0') {
            leading++;
        }
        digits = digits.substring(leading);
        pointPosition -= leading;
        int trailing = digits.length();
        while (trailing > 1 && digits.charAt(trailing - 1) == '0') {
            trailing--;
        }
        digits = digits.substring(0, trailing);
        if (digits.length() == 2) {
            // Java's layout keeps two significant digits where one can suffice (4.9E-324 for 5e-324).
            String oneDigit = shorterDigit(Math.abs(value), digits, pointPosition);
            if (oneDigit != null) {
                digits = oneDigit;
                if (digits.equals("10")) {
                    digits = "1";
                    pointPosition++;
                }
            }
        }

        int k = digits.length();
        int n = pointPosition;
        StringBuilder out = new StringBuilder(32);
        if (value < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 >= 0 ? '+' : '-').append(Math.abs(n - 1));
        }
        return out.toString();
    }

    /**
     * A single digit (or "10" on carry) that reads back as {@code magnitude}, the one nearest the two-digit value
     * first, as ECMAScript asks; null if none does.
     */
    private static String shorterDigit(double magnitude, String twoDigits, int pointPosition) {
        int twoDigitValue = Integer.parseInt(twoDigits);
        int nearest = (twoDigitValue + 5) / 10;
        int other = nearest * 10 > twoDigitValue ? nearest - 1 : nearest + 1;
        for (int candidate : new int[] {nearest, other}) {
            if (candidate < 1) {
                continue;
            }
            String digit = Integer.toString(candidate);
            if (Double.parseDouble("0." + digit + "E" + (pointPosition + (candidate == 10 ? 1 : 0)) ) == magnitude) {
                return digit;
            }
        }
        return null;
    }

    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\';
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        int length = text.length();
        int run = 0; // the characters from run to i need no escape and are appended at once
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (plain(c)) {
                continue;
            }
            out.append(text, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (run == 0) {
            out.append(text);
        } else {
            out.append(text, run, length);
        }
        out.append('"');
    }
}
