package io.dataline.dataset.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.service.outbox.OutboxPublisher;
import io.dataline.testsupport.RequiresSchemaRegistry;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.dataline.testsupport.WithSchemaRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Covers publishing through the Apicurio Registry (runs only when {@code APICURIO_REGISTRY_URL} is set): the schema
 * is registered from the events module, its id travels in the record headers and the value stays plain JSON.
 */
@QuarkusTest
@TestProfile(WithSchemaRegistry.class)
@RequiresSchemaRegistry
class DatasetCommittedPublishingRegistryTest {

    @Inject
    OutboxPublisher publisher;

    @Inject
    TopicClient topics;

    @Test
    void shouldPublishWithTheSchemaIdInHeaders() throws Exception {
        DatasetCommittedEvent event = SampleEvents.committed("Registry Publisher " + System.nanoTime());

        ConsumerRecord<String, byte[]> record = DatasetCommittedPublishingTest.publishAndRead(publisher, topics, event);
        assertThat(record.headers().lastHeader("apicurio.value.contentId")).isNotNull();
    }
}
