package io.dataline.deploy.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.config.DeployConfig;
import io.dataline.service.DatasetServiceClient;
import jakarta.inject.Singleton;

/** The shared dataset-service client, with this service's URL and own key ({@code DATALINE_SERVICE_KEY}). */
@Singleton
public class DatasetClient extends DatasetServiceClient {

    DatasetClient(ObjectMapper mapper, DeployConfig config) {
        super(config.datasetService().url(), config.serviceKey(), config.datasetService().connectTimeout(), mapper);
    }
}
