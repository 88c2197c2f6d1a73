package dev.strata.processor.inference;

/** One multi-scale output of a backbone: the graph output's name, its stride and channel count. */
public record StageInfo(String name, int stride, int channels) {
    public StageInfo {
        if (stride < 1 || channels < 1) {
            throw new IllegalArgumentException("stage " + name + ": stride and channels must be positive");
        }
    }
}
