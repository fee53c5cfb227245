package io.dataline.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.events.PipelineEvent;
import io.dataline.service.UnprocessableEventException;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers how the one consumer of a service finds the handlers of an event: by the type each handler names, a handler of
 * {@code PipelineEvent} taking every event; an event nobody handles can never succeed (dead-lettered, with the reason).
 */
class PipelineConsumerTest {

    /** A pipeline event of no topic in particular; its subclasses are the types handlers name. */
    abstract static class TestEvent implements PipelineEvent {
        private final String version;

        TestEvent(String version) {
            this.version = version;
        }

        @Override public UUID eventId() { return UUID.nameUUIDFromBytes(version.getBytes()); }
        @Override public Instant occurredAt() { return Instant.EPOCH; }
        @Override public String dataset() { return "d"; }
        @Override public String datasetSlug() { return "d"; }
        @Override public String dataVersion() { return version; }
        @Override public UUID causationId() { return null; }
        @Override public String producer() { return "test"; }
        @Override public String branch() { return null; }
    }

    static final class Committed extends TestEvent {
        Committed(String version) {
            super(version);
        }
    }

    static final class Promoted extends TestEvent {
        Promoted(String version) {
            super(version);
        }
    }

    static final class Validator implements EventHandler<Committed> {
        final List<String> seen = new ArrayList<>();

        @Override
        public void handle(Committed event) {
            seen.add("validated " + event.dataVersion());
        }
    }

    static final class Lineage implements EventHandler<PipelineEvent> {
        final List<String> seen = new ArrayList<>();

        @Override
        public void handle(PipelineEvent event) {
            seen.add(event.getClass().getSimpleName() + " " + event.dataVersion());
        }
    }

    @Test
    void shouldReadTheEventTypeAHandlerNamesFromItsBeanTypes() {
        assertThat(PipelineConsumer.handledType(beanTypes(Validator.class))).isEqualTo(Committed.class);
        assertThat(PipelineConsumer.handledType(beanTypes(Lineage.class))).isEqualTo(PipelineEvent.class);
        assertThatThrownBy(() -> PipelineConsumer.handledType(List.of(Object.class, Runnable.class)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must name its event type");
    }

    @Test
    void shouldHandEachEventToTheHandlersOfItsTypeOnly() {
        Validator validator = new Validator();
        Lineage lineage = new Lineage();
        PipelineConsumer.Routes routes = new PipelineConsumer.Routes();
        routes.add(Committed.class, validator);
        routes.add(PipelineEvent.class, lineage);

        routes.dispatch(new Committed("v1"));
        routes.dispatch(new Promoted("v1"));

        assertThat(validator.seen).containsExactly("validated v1");
        assertThat(lineage.seen).containsExactly("Committed v1", "Promoted v1");
    }

    @Test
    void shouldRefuseAnEventNoHandlerTakesAsOneThatCanNeverSucceed() {
        Validator validator = new Validator();
        PipelineConsumer.Routes routes = new PipelineConsumer.Routes();
        routes.add(Committed.class, validator);

        assertThatThrownBy(() -> routes.dispatch(new Promoted("v1")))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("no handler for Promoted")
                .hasMessageContaining("mp.messaging.incoming.pipeline.topics");
        assertThat(Failures.classify(new UnprocessableEventException("x"))).isEqualTo(Failures.Kind.PERMANENT);
        assertThat(validator.seen).isEmpty();
    }

    /** The bean types CDI gives a class: the class itself and its generic interfaces. */
    private static List<Type> beanTypes(Class<?> beanClass) {
        List<Type> types = new ArrayList<>(List.of(beanClass.getGenericInterfaces()));
        types.add(0, beanClass);
        types.add(Object.class);
        return types;
    }
}
