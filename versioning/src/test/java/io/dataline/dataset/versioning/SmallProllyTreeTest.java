package io.dataline.dataset.versioning;

/** {@link ProllyTreeTest} in format 3, the format of new datasets. */
class SmallProllyTreeTest extends ProllyTreeTest {

    SmallProllyTreeTest() {
        super(TreeFormat.SMALL);
    }
}
