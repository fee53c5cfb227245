package io.dataline.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The held-out split: about the requested fraction, fixed by key and seed, different for another seed. */
class HoldoutSplitTest {

    @Test
    void shouldHoldOutAboutTheRequestedFraction() {
        HoldoutSplit split = new HoldoutSplit(42, 0.2);

        long heldOut = IntStream.range(0, 20_000).filter(i -> split.isHeldOut(new TextNode("key-" + i))).count();

        assertThat(heldOut).isBetween(3_700L, 4_300L);
    }

    @Test
    void shouldPutAKeyOnTheSameSideEveryTimeAndDependOnTheSeed() {
        HoldoutSplit a = new HoldoutSplit(42, 0.5);
        HoldoutSplit again = new HoldoutSplit(42, 0.5);
        HoldoutSplit other = new HoldoutSplit(43, 0.5);

        long same = IntStream.range(0, 1000).filter(i -> a.isHeldOut(new IntNode(i)) == again.isHeldOut(new IntNode(i))).count();
        long sameAsOtherSeed = IntStream.range(0, 1000).filter(i -> a.isHeldOut(new IntNode(i)) == other.isHeldOut(new IntNode(i))).count();

        assertThat(same).isEqualTo(1000);
        assertThat(sameAsOtherSeed).isBetween(400L, 600L);
    }

    @Test
    void shouldTellAStringKeyFromTheSameNumber() {
        HoldoutSplit split = new HoldoutSplit(1, 0.5);

        long differ = IntStream.range(0, 200).filter(i -> split.isHeldOut(new IntNode(i)) != split.isHeldOut(new TextNode(String.valueOf(i)))).count();

        assertThat(differ).isPositive();
    }
}
