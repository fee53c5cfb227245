package io.dataline.dataset.webhooks;

import java.util.Optional;

/** How a delivery's body looks: Dataline's own envelope, or a GitHub {@code repository_dispatch} request. */
public enum WebhookFormat {
    DATALINE("dataline"),
    GITHUB_DISPATCH("github-dispatch");

    private final String wireName;

    WebhookFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookFormat> parse(String wireName) {
        for (WebhookFormat format : values()) {
            if (format.wireName.equals(wireName)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
