package io.dataline.validation.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The held drift profiles: a version's profile is gathered once per set of watched fields, and the holding is bounded. */
class ParentProfilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger gathered = new AtomicInteger();

    private ParentProfile gather(List<ValidationRules.DriftRule> rules, int records) {
        gathered.incrementAndGet();
        ParentProfile profile = new ParentProfile(rules);
        for (int i = 0; i < records; i++) {
            profile.accept(JSON.createObjectNode().put("label", i % 2 == 0 ? "a" : "b").put("score", i));
        }
        return profile;
    }

    private static List<ValidationRules.DriftRule> watching(String... fields) {
        return java.util.Arrays.stream(fields).map(f -> new ValidationRules.DriftRule(f, 0.1, null, null)).toList();
    }

    @Test
    void shouldGiveTheProfileOfAVersionValidatedBeforeWithoutReadingItAgain() {
        ParentProfiles profiles = new ParentProfiles();
        ParentProfile validated = gather(watching("label"), 10);
        profiles.remember("d", "v1", validated);
        gathered.set(0);

        ParentProfile base = profiles.of("d", "v1", Set.of("label"), () -> gather(watching("label"), 10));

        assertThat(base).isSameAs(validated);
        assertThat(gathered).hasValue(0);
        assertThat(base.records).isEqualTo(10);
    }

    @Test
    void shouldGatherAgainWhenOtherFieldsAreWatchedOrTheVersionIsAnother() {
        ParentProfiles profiles = new ParentProfiles();
        profiles.remember("d", "v1", gather(watching("label"), 10));
        gathered.set(0);

        ParentProfile both = profiles.of("d", "v1", Set.of("label", "score"), () -> gather(watching("label", "score"), 10));
        profiles.of("d", "v2", Set.of("label"), () -> gather(watching("label"), 4));
        profiles.of("e", "v1", Set.of("label"), () -> gather(watching("label"), 4));

        assertThat(gathered).hasValue(3);
        assertThat(both.fieldNames()).containsExactlyInAnyOrder("label", "score");
        assertThat(profiles.of("d", "v1", Set.of("label", "score"), () -> gather(watching("label"), 1))).isSameAs(both);
        assertThat(gathered).hasValue(3);
    }

    @Test
    void shouldHoldABoundedNumberOfProfiles() {
        ParentProfiles profiles = new ParentProfiles();
        for (int i = 0; i < ParentProfiles.MAX_PROFILES * 2; i++) {
            profiles.remember("d", "v" + i, ParentProfile.counted(i));
        }
        assertThat(profiles.size()).isEqualTo(ParentProfiles.MAX_PROFILES);
        gathered.set(0);
        profiles.of("d", "v0", Set.of(), () -> gather(List.of(), 0));
        assertThat(gathered).as("the oldest went first").hasValue(1);
        assertThat(profiles.of("d", "v" + (ParentProfiles.MAX_PROFILES * 2 - 1), Set.of(), () -> gather(List.of(), 0)).records)
                .isEqualTo(ParentProfiles.MAX_PROFILES * 2 - 1);
        assertThat(gathered).hasValue(1);
    }
}
