package io.dataline.dataset.versioning;

/** {@link ProllyTreeTest} in format 2: datasets created before format 3 keep it. */
class BoundedProllyTreeTest extends ProllyTreeTest {

    BoundedProllyTreeTest() {
        super(TreeFormat.BOUNDED);
    }
}
