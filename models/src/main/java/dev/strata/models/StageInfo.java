package dev.strata.models;

/** One multi-scale output: its graph output name, stride relative to the input, and channels. */
public record StageInfo(String name, int stride, int channels) {
}
