package io.dataline.events;

import java.util.Locale;
import java.util.Optional;

/**
 * A constant that travels under a name of its own in JSON, URLs and configuration ({@code macroF1},
 * {@code github-dispatch}), never under its Java name. By default the wire name is the constant's name in lower camel
 * case ({@code MAX_RELATIVE_REGRESSION} is {@code maxRelativeRegression}); {@link #kebab} gives the other spelling used
 * on the wire ({@code VALIDATION_FAILED} is {@code validation-failed}).
 */
public interface WireNamed {

    /** The constant's Java name (every enum has it). */
    String name();

    default String wireName() {
        StringBuilder wire = new StringBuilder();
        boolean wordStart = false;
        for (char c : name().toCharArray()) {
            if (c == '_') {
                wordStart = true;
            } else {
                wire.append(wordStart ? c : Character.toLowerCase(c));
                wordStart = false;
            }
        }
        return wire.toString();
    }

    /** The constant's name in lower case, words joined by {@code -}. */
    default String kebab() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose wire name is {@code name} (exactly, case included), if there is one. */
    static <E extends Enum<E> & WireNamed> Optional<E> parse(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wireName().equals(name)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
