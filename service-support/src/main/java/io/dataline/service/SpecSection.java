package io.dataline.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How a service reads its own section of a dataset's pipeline spec ({@code validation}, {@code promotion}): absent or
 * {@code null} means the section's defaults; anything but an object is a problem at the section's pointer, and the
 * defaults stand in for it so the rest of the spec is still checked. Problems are (JSON pointer, message) pairs.
 */
public final class SpecSection {

    private SpecSection() {
    }

    /** Whether {@code section} is an object to read (otherwise the caller uses its defaults). */
    public static boolean isObject(JsonNode section, String pointer, List<String[]> problems) {
        if (section == null || section.isNull() || section.isMissingNode()) {
            return false;
        }
        if (!section.isObject()) {
            problems.add(new String[] {pointer, "must be an object"});
            return false;
        }
        return true;
    }
}
