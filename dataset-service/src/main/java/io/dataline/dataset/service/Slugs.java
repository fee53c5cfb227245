package io.dataline.dataset.service;

import java.text.Normalizer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Dataset names and the DNS-1123 slugs derived from them. */
public final class Slugs {

    /** 1-128 letters, digits, spaces, '-', '_' or '.', not starting or ending with a space. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.\\-]([\\p{L}\\p{N} _.\\-]{0,126}[\\p{L}\\p{N}_.\\-])?");
    private static final int MAX_SLUG = 63;

    private Slugs() {
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * A lowercase DNS-1123 label for {@code name}: accents dropped, every other run of characters that are not
     * a-z or 0-9 turned into one '-'; "-2", "-3", ... appended while {@code taken} says the slug is in use.
     */
    public static String slugFor(String name, Predicate<String> taken) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(java.util.Locale.ROOT);
        String base = ascii.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "dataset";
        }
        base = trim(base, MAX_SLUG);
        String slug = base;
        for (int n = 2; taken.test(slug); n++) {
            String suffix = "-" + n;
            slug = trim(base, MAX_SLUG - suffix.length()) + suffix;
        }
        return slug;
    }

    private static String trim(String slug, int length) {
        String cut = slug.length() <= length ? slug : slug.substring(0, length);
        return cut.replaceAll("-+$", "");
    }
}
