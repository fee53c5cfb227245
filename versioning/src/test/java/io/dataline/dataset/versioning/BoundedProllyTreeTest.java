package io.dataline.dataset.versioning;

/** {@link ProllyTreeTest} in format 2, the format of new datasets. */
class BoundedProllyTreeTest extends ProllyTreeTest {

    BoundedProllyTreeTest() {
        super(TreeFormat.BOUNDED);
    }
}
