package io.dataline.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The {@link DatasetServiceClient} of a pipeline service, with its configured URL
 * ({@code dataline.dataset-service.url}), connect timeout ({@code dataline.dataset-service.connect-timeout}, 10 s)
 * and own key ({@code dataline.service-key}); made when first injected, so dataset-service, which never injects it,
 * needs none of these settings.
 */
public class DatasetClients {

    @Produces
    @Singleton
    DatasetServiceClient datasetServiceClient(SharedSettings settings, ObjectMapper mapper) {
        return new DatasetServiceClient(settings.requireDatasetServiceUrl(), settings.requireServiceKey(),
                settings.datasetService().connectTimeout(), mapper);
    }
}
