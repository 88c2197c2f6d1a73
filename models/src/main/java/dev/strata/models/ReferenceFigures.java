package dev.strata.models;

/**
 * What the official code and the paper say about a variant (shared/MODELS.md): the exact
 * parameter count and MACs (G) of the official model at 224x224, and the paper's rounded
 * params (M), MACs (G) and ImageNet-1k top-1 (%).
 */
public record ReferenceFigures(long officialParams, double officialGMacs, double paperMParams,
                               double paperGMacs, double top1) {
}
