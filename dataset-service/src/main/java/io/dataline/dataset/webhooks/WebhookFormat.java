package io.dataline.dataset.webhooks;

import io.dataline.events.WireNamed;
import java.util.Optional;

/** How a delivery's body looks: Dataline's own envelope, or a GitHub {@code repository_dispatch} request. */
public enum WebhookFormat implements WireNamed {
    DATALINE, GITHUB_DISPATCH;

    /** {@code dataline} or {@code github-dispatch}. */
    @Override
    public String wireName() {
        return kebab();
    }

    public static Optional<WebhookFormat> parse(String wireName) {
        return WireNamed.parse(WebhookFormat.class, wireName);
    }
}
