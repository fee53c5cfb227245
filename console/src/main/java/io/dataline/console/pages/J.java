package io.dataline.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateExtension;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A service's JSON as the templates read it: {@code {version.detail.message}} reads fields by name (a missing one is
 * empty, never an error), {@code {#for c in report.checks}} iterates an array, and a value prints as its text.
 * {@code present}, {@code size}, {@code num}, {@code bool}, {@code dec}, {@code shortHash}, {@code url}, {@code entries}
 * and {@code at('name')} (for a field whose name is one of these) are the only names that are not fields.
 */
@TemplateData
public final class J implements Iterable<J> {

    private final JsonNode node;

    private J(JsonNode node) {
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    public static J of(JsonNode node) {
        return new J(node);
    }

    /** Any other name is a field of the object ({@code {x.name}}). */
    @TemplateExtension(matchName = TemplateExtension.ANY, priority = 0)
    static J field(J json, String name) {
        return json.at(name);
    }

    public J at(String name) {
        return new J(node.get(name));
    }

    public JsonNode node() {
        return node;
    }

    /** Whether there is a value (not missing, not null). */
    public boolean present() {
        return !node.isMissingNode() && !node.isNull();
    }

    public int size() {
        return node.size();
    }

    public double num() {
        return node.asDouble();
    }

    public boolean bool() {
        return node.asBoolean(false);
    }

    /** A number to three decimals, or empty. */
    public String dec() {
        return node.isNumber() ? String.format(Locale.ROOT, "%.3f", node.asDouble()) : toString();
    }

    /** The first 12 characters (version hashes). */
    public String shortHash() {
        String text = toString();
        return text.length() > 12 ? text.substring(0, 12) : text;
    }

    /** The text escaped for a URL (record keys and branch names in links). */
    public String url() {
        return io.dataline.console.api.Api.segment(toString());
    }

    /** The same for a plain string ({@code {branch.url}}). */
    @TemplateExtension
    static String url(String text) {
        return io.dataline.console.api.Api.segment(text);
    }

    /** A field of an object: {@code {#for e in report.nullCounts.entries}{e.name}: {e.value}{/for}}. */
    @TemplateData
    public record Entry(String name, J value) {
    }

    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        node.fields().forEachRemaining(e -> entries.add(new Entry(e.getKey(), new J(e.getValue()))));
        return entries;
    }

    @Override
    public Iterator<J> iterator() {
        List<J> items = new ArrayList<>();
        node.forEach(item -> items.add(new J(item)));
        return items.iterator();
    }

    @Override
    public String toString() {
        if (!present()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
