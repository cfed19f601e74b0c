package org.adamix4j.modules.mixture;

/** Which projection of an AdaMix adapter all experts share. */
public enum Sharing {
    /** One up-projection, M down-projections: the released AdaMix runs ({@code sharing_up=1}). */
    UP,
    /** One down-projection, M up-projections. */
    DOWN,
    /** M of both. */
    NONE
}
