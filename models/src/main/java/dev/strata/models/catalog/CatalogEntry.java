package dev.strata.models.catalog;

import dev.strata.models.Architecture;
import dev.strata.models.Measurement;
import dev.strata.models.ReferenceFigures;

/** A variant's computed figures (from its graph) next to the official and published ones. */
public record CatalogEntry(Architecture architecture, ReferenceFigures reference, Measurement measured) {
}
