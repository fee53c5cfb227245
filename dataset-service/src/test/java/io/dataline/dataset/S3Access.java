package io.dataline.dataset;

import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Hash;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The tests' own view of the chunk bucket in {@link S3Server}, as an operator with the S3 API would see it. */
public final class S3Access {

    public static final String BUCKET = S3Server.BUCKET;
    private static final String PREFIX = "chunks/";
    private static S3Client client;

    private S3Access() {
    }

    public static boolean active() {
        return S3Resource.active();
    }

    /** The chunks that have an object in the bucket. */
    public static Set<Hash> objects() {
        Set<Hash> hashes = new HashSet<>();
        for (S3Object object : client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(PREFIX)).contents()) {
            String rest = object.key().substring(PREFIX.length());
            hashes.add(Hash.fromHex(rest.replace("/", "")));
        }
        return hashes;
    }

    public static void put(Chunk chunk) {
        putRaw(chunk.hash(), chunk.encoded());
    }

    public static void putRaw(Hash hash, byte[] bytes) {
        client().putObject(b -> b.bucket(BUCKET).key(key(hash)), RequestBody.fromBytes(bytes));
    }

    public static byte[] get(Hash hash) {
        return client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key(hash))).asByteArray();
    }

    /** Takes object storage away (the server stops) until {@link #startServer}. */
    public static void stopServer() {
        S3Server.shared().stop();
    }

    public static void startServer() {
        S3Server.shared().start();
    }

    private static String key(Hash hash) {
        return PREFIX + hash.hex().substring(0, 2) + "/" + hash.hex().substring(2);
    }

    private static synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder().endpointOverride(URI.create(S3Server.shared().url())).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
                    .build();
        }
        return client;
    }
}
