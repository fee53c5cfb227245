package io.dataline.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The deterministic train / held-out split. A record is held out when SHA-256 of {@code seed ":" key} (the key as
 * canonical JSON text), read as an unsigned 64-bit fraction, is below {@code holdoutFraction}. It depends on nothing
 * but the record's primary key and the spec, so the same version and spec always give the same split, and a record
 * keeps its side as the dataset evolves (a model is never evaluated on records an older model trained on, unless the
 * fraction or seed changed).
 */
public final class HoldoutSplit {

    private final long seed;
    private final double fraction;

    public HoldoutSplit(long seed, double fraction) {
        this.seed = seed;
        this.fraction = fraction;
    }

    public static HoldoutSplit of(TrainingSpec spec) {
        return new HoldoutSplit(spec.seed(), spec.holdoutFraction());
    }

    public boolean isHeldOut(JsonNode key) {
        String text = key == null ? "null" : key.toString();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] digest = sha.digest((seed + ":" + text).getBytes(StandardCharsets.UTF_8));
        long bits = ByteBuffer.wrap(digest, 0, 8).getLong() >>> 11; // 53 bits: exactly representable as a double
        return bits / (double) (1L << 53) < fraction;
    }
}
