package io.dataline.events.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * W3C {@code traceparent} values, as stored with outbox rows so that an event published later, from another thread,
 * continues the trace of the request or message that caused it.
 */
public final class Traceparents {

    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private Traceparents() {
    }

    /** The current span as a traceparent, or null when there is no valid span. */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex() : null;
    }

    /** The context a traceparent names (the root context when it is malformed). */
    public static Context context(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
    }
}
