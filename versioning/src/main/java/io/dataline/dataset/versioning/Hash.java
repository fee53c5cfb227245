package io.dataline.dataset.versioning;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest, compared by value; printed as 64 lowercase hex digits. */
public final class Hash implements Comparable<Hash> {

    public static final int LENGTH = 32;
    private static final MessageDigest PROTOTYPE = lookUp();

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, not " + bytes.length);
        }
        this.bytes = bytes;
    }

    public static Hash of(byte[] bytes) {
        return new Hash(bytes.clone());
    }

    /** The hash in {@code bytes} from {@code offset} (its 32 bytes are copied). */
    static Hash of(byte[] bytes, int offset) {
        return new Hash(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
    }

    public static Hash sha256(byte[] data) {
        return new Hash(digest().digest(data));
    }

    public static Hash fromHex(String hex) {
        return new Hash(HexFormat.of().parseHex(hex));
    }

    public static boolean isHex(String text) {
        return text != null && text.matches("[0-9a-f]{64}");
    }

    /** A fresh SHA-256 digest: a copy of one looked up once (the provider lookup cost more than hashing a key). */
    public static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The first four bytes as an unsigned number, the input of content-defined boundaries. */
    long prefix() {
        return word(0);
    }

    /**
     * Bytes {@code 4 × index} to {@code 4 × index + 3} as an unsigned number: eight independent 32-bit draws from one
     * hash ({@code index} 0 to 7).
     */
    long word(int index) {
        int at = 4 * index;
        return ((bytes[at] & 0xFFL) << 24) | ((bytes[at + 1] & 0xFFL) << 16) | ((bytes[at + 2] & 0xFFL) << 8) | (bytes[at + 3] & 0xFFL);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hash hash && Arrays.equals(bytes, hash.bytes);
    }

    /**
     * Four of the digest's bytes, which are as evenly spread as any mix of all 32 would be (and not the four of
     * {@link #prefix()}, which content-defined boundaries depend on): chunk lookups by hash, thousands in each commit,
     * no longer walk the whole array.
     */
    @Override
    public int hashCode() {
        return (bytes[LENGTH - 4] & 0xFF) << 24 | (bytes[LENGTH - 3] & 0xFF) << 16 | (bytes[LENGTH - 2] & 0xFF) << 8 | (bytes[LENGTH - 1] & 0xFF);
    }

    @Override
    public int compareTo(Hash other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
