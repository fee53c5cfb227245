package io.dataline.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireNamedTest {

    enum Sample implements WireNamed {
        MIN, MACRO_F1, MAX_RELATIVE_REGRESSION, GITHUB_DISPATCH
    }

    @Test
    void shouldSpellEveryConstantInLowerCamelCaseOnTheWire() {
        assertThat(Sample.MIN.wireName()).isEqualTo("min");
        assertThat(Sample.MACRO_F1.wireName()).isEqualTo("macroF1");
        assertThat(Sample.MAX_RELATIVE_REGRESSION.wireName()).isEqualTo("maxRelativeRegression");
    }

    @Test
    void shouldOfferTheKebabSpellingForNamesThatUseIt() {
        assertThat(Sample.GITHUB_DISPATCH.kebab()).isEqualTo("github-dispatch");
        assertThat(Sample.MIN.kebab()).isEqualTo("min");
    }

    @Test
    void shouldParseOnlyTheExactWireName() {
        assertThat(WireNamed.parse(Sample.class, "macroF1")).contains(Sample.MACRO_F1);
        assertThat(WireNamed.parse(Sample.class, "MACRO_F1")).isEmpty();
        assertThat(WireNamed.parse(Sample.class, "macrof1")).isEmpty();
        assertThat(WireNamed.parse(Sample.class, null)).isEmpty();
        assertThat(WireNamed.parse(Sample.class, "")).isEmpty();
    }
}
