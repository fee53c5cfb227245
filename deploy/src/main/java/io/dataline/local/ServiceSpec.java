package io.dataline.local;

import java.util.List;

/**
 * One Dataline service as the local stack runs it: module directory (also its name), HTTP port and database
 * ({@code null} for the console, which owns no data), and which replica of it this is (1 = the first, whose URL the
 * other services are given). Its management interface (health, metrics) listens on the HTTP port +
 * {@value #MANAGEMENT_OFFSET}; replica r listens {@value #REPLICA_STRIDE}·(r-1) ports above the first.
 */
record ServiceSpec(String name, int port, String database, int replica) {

    static final int DEFAULT_PORT_BASE = 8080;
    static final int MANAGEMENT_OFFSET = 1000;
    static final int REPLICA_STRIDE = 20;
    static final int MAX_REPLICAS = 8;

    ServiceSpec(String name, int port, String database) {
        this(name, port, database, 1);
    }

    /** Every replica of every service: the first replicas ({@link #all}), then the second ones, and so on. */
    static List<ServiceSpec> instances(int portBase, int replicas) {
        List<ServiceSpec> instances = new java.util.ArrayList<>();
        for (int replica = 1; replica <= replicas; replica++) {
            for (ServiceSpec first : all(portBase)) {
                instances.add(new ServiceSpec(first.name, first.port + REPLICA_STRIDE * (replica - 1), first.database, replica));
            }
        }
        return instances;
    }

    /** The name of its pid and log files: the service's, with {@code -r} for replica r past the first. */
    String processName() {
        return replica == 1 ? name : name + "-" + replica;
    }

    /** The services in start order, on ports base to base+4 (8080-8084 by default; the console last, on 8084). */
    static List<ServiceSpec> all(int portBase) {
        return List.of(
                new ServiceSpec("dataset-service", portBase, "dataset_service"),
                new ServiceSpec("validation-service", portBase + 1, "validation_service"),
                new ServiceSpec("training-orchestrator", portBase + 2, "training_orchestrator"),
                new ServiceSpec("deploy-service", portBase + 3, "deploy_service"),
                new ServiceSpec("console", portBase + 4, null));
    }

    /** Whether the service keeps data in PostgreSQL (all but the console). */
    boolean hasDatabase() {
        return database != null;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int managementPort() {
        return port + MANAGEMENT_OFFSET;
    }

    /** Health and Prometheus metrics: the management interface, separate from the API. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort();
    }
}
