package io.dataline.service.schema;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Regular expressions that come from users (a data contract's {@code pattern} rule; a record schema's
 * {@code pattern}, {@code patternProperties} and {@code format: regex}), compiled by RE2/J: matching time is linear in
 * the input, so no pattern can make a check backtrack for ever (ReDoS). What RE2 cannot match in linear time
 * (back-references, look-around) is a syntax error, refused when the pattern is set. At most {@value #MAX_LENGTH}
 * characters. As JSON Schema says, a pattern matches anywhere in the value unless it anchors itself.
 */
public final class LinearRegex implements RegularExpressionFactory {

    public static final int MAX_LENGTH = 1_000;
    public static final LinearRegex FACTORY = new LinearRegex();

    private LinearRegex() {
    }

    /** A user's pattern is not one Dataline runs: why, in words for an error message. */
    public static final class InvalidPattern extends IllegalArgumentException {
        InvalidPattern(String message) {
            super(message);
        }
    }

    /** {@code regex} compiled, or {@link InvalidPattern} saying why not. */
    public static Pattern compile(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new InvalidPattern("a pattern may have at most " + MAX_LENGTH + " characters, this one has " + regex.length());
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidPattern("not a regular expression Dataline runs (RE2 syntax: no back-references or look-around): "
                    + e.getDescription());
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = compile(regex);
        return value -> pattern.matcher(value).find();
    }
}
