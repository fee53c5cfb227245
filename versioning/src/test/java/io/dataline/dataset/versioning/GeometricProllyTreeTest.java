package io.dataline.dataset.versioning;

/** {@link ProllyTreeTest} in format 1, the first milestone's: datasets created before format 2 keep it. */
class GeometricProllyTreeTest extends ProllyTreeTest {

    GeometricProllyTreeTest() {
        super(TreeFormat.GEOMETRIC);
    }
}
