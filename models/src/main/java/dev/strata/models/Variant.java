package dev.strata.models;

/** A catalogued configuration of a family with its reference figures. */
public record Variant(Architecture architecture, ReferenceFigures reference) {
}
