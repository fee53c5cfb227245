package io.dataline.dataset.rest;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.chunks.ChunkMigration;
import io.dataline.dataset.chunks.ChunkStorage;
import io.dataline.dataset.chunks.ChunkSweeper;
import io.dataline.dataset.chunks.S3Chunks;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.service.rest.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where chunks are, for ops (admin scope): {@code GET /chunks} counts them per back-end, {@code POST /chunks/migrate}
 * moves one dataset's to a back-end ({@code {"dataset": "...", "to": "s3" | "postgres"}}), {@code POST /chunks/sweep}
 * deletes objects no chunk row points to ({@code ?grace=PT1H}; default {@code dataline.chunks.sweep.grace}).
 */
@Path("/chunks")
@Produces(MediaType.APPLICATION_JSON)
public class ChunkResource {

    @Inject
    ChunkStorage storage;

    @Inject
    ChunkMigration migration;

    @Inject
    ChunkSweeper sweeper;

    @Inject
    DatasetServiceConfig config;

    @Inject
    AgroalDataSource dataSource;

    public record MigrateRequest(String dataset, String to) {
    }

    @GET
    public Map<String, Object> where() throws SQLException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("backend", storage.writer().name());
        answer.put("bucket", storage.objectsIfConfigured().map(S3Chunks::bucket).orElse(null));
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
                ResultSet row = query.executeQuery("SELECT count(*) FILTER (WHERE data IS NOT NULL), count(*) FILTER (WHERE data IS NULL) FROM chunk")) {
            row.next();
            answer.put("inDatabase", row.getLong(1));
            answer.put("inObjectStorage", row.getLong(2));
        }
        return answer;
    }

    @POST
    @Path("migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public ChunkMigration.Migrated migrate(MigrateRequest request) {
        if (request == null || request.dataset() == null || request.dataset().isBlank()) {
            throw new ProblemException(400, "\"dataset\" is required: the dataset whose chunks move");
        }
        if (request.to() == null) {
            throw new ProblemException(400, "\"to\" is required: postgres or s3");
        }
        return migration.migrate(request.dataset(), request.to());
    }

    @POST
    @Path("sweep")
    public ChunkSweeper.Swept sweep(@QueryParam("grace") String grace) {
        Duration keep = config.chunks().sweep().grace();
        if (grace != null) {
            try {
                keep = Duration.parse(grace);
            } catch (DateTimeParseException e) {
                throw new ProblemException(400, "grace must be an ISO-8601 duration such as PT1H, not \"" + grace + "\"");
            }
            if (keep.isNegative()) {
                throw new ProblemException(400, "grace must not be negative");
            }
        }
        return sweeper.sweep(keep);
    }
}
