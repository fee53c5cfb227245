package io.dataline.dataset.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Covers secrets at rest (AES-256-GCM bound to webhook and field) and GitHub's signature scheme, checked against
 * the example GitHub documents.
 */
class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldSealWithoutRevealingAndOpenOnlyInItsContext() {
        SecretBox box = SecretBox.fromBase64(KEY);
        String sealed = box.seal("ghp_secret-token", "webhook:1:token");
        assertThat(sealed).startsWith("v1:").doesNotContain("ghp_secret-token");
        assertThat(box.seal("ghp_secret-token", "webhook:1:token")).isNotEqualTo(sealed);
        assertThat(box.open(sealed, "webhook:1:token")).isEqualTo("ghp_secret-token");
        assertThatThrownBy(() -> box.open(sealed, "webhook:2:token")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.fromBase64(Base64.getEncoder().encodeToString(new byte[32])).open(sealed, "webhook:1:token"))
                .hasMessageContaining("encryption key");
    }

    @Test
    void shouldRefuseKeysOfTheWrongSize() {
        assertThatThrownBy(() -> SecretBox.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SecretBox.fromBase64("not base64!")).hasMessageContaining("base64");
    }

    @Test
    void shouldSignLikeGitHub() {
        assertThat(Signatures.sign("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }
}
