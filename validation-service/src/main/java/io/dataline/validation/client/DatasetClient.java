package io.dataline.validation.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.service.DatasetServiceClient;
import io.dataline.validation.config.ValidationConfig;
import jakarta.inject.Singleton;

/** The shared dataset-service client, with this service's URL and own key. */
@Singleton
public class DatasetClient extends DatasetServiceClient {

    DatasetClient(ObjectMapper mapper, ValidationConfig config) {
        super(config.datasetService().url(), config.serviceKey(), config.datasetService().connectTimeout(), mapper);
    }
}
