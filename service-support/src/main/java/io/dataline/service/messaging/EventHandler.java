package io.dataline.service.messaging;

import io.dataline.events.PipelineEvent;

/**
 * What a service does with one type of pipeline event. A bean implementing it (usually the use case itself, e.g.
 * {@code EventHandler<DatasetCommittedEvent>}) is called by {@link PipelineConsumer} for every event of that type (or
 * a subtype: {@code EventHandler<PipelineEvent>} takes them all) on the topics the service reads. The call runs inside
 * {@link ConsumerRetry#settle}: a failure is classified ({@link Failures}) and retried or dead-lettered; a redelivery
 * must be a no-op (the inbox), since a message may come again after a restart or a retry.
 */
public interface EventHandler<E extends PipelineEvent> {

    void handle(E event);
}
