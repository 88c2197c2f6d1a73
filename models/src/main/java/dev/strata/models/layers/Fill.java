package dev.strata.models.layers;

/** What a shifted tensor holds at the positions that have no source. */
public enum Fill {
    /** Zero, as a convolution's zero padding (AS-MLP, CycleFC). */
    ZERO,
    /** The position's own input value, as an in-place slice assignment (S2-MLP). */
    KEEP,
    /** The value that wrapped around the other edge, as torch.roll (Hire-MLP). */
    WRAP
}
