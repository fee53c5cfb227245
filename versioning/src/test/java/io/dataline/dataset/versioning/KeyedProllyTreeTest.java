package io.dataline.dataset.versioning;

/** {@link ProllyTreeTest} in format 4, the format of new datasets. */
class KeyedProllyTreeTest extends ProllyTreeTest {

    KeyedProllyTreeTest() {
        super(TreeFormat.KEYED);
    }
}
