package io.dataline.dataset.versioning;

/** {@link ProllyTreeTest} in format 3: datasets created before format 4 keep it. */
class SmallProllyTreeTest extends ProllyTreeTest {

    SmallProllyTreeTest() {
        super(TreeFormat.SMALL);
    }
}
