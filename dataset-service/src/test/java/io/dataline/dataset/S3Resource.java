package io.dataline.dataset;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * With {@code -Dtestsupport.chunks=s3} (the surefire execution {@code chunks-on-s3} of this module's pom), the
 * application under test keeps its chunks in a real S3 API server ({@link S3Server}); otherwise it contributes nothing
 * and chunks stay in PostgreSQL. Credentials reach the AWS SDK through its default chain (system properties).
 */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    static boolean active() {
        return "s3".equals(System.getProperty("testsupport.chunks"));
    }

    @Override
    public Map<String, String> start() {
        if (!active()) {
            return Map.of();
        }
        S3Server server = S3Server.shared();
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
        return Map.of("dataline.chunks.backend", "s3", "dataline.chunks.s3.endpoint", server.url(),
                "dataline.chunks.s3.bucket", S3Server.BUCKET, "dataline.chunks.s3.region", "us-east-1");
    }

    @Override
    public void stop() {
        // The server outlives one application start: it stops when the JVM exits.
    }
}
