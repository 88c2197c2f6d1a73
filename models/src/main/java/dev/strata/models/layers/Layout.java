package dev.strata.models.layers;

/**
 * Where the channel axis of a 4-d feature map is. The official code of each family picks one
 * per module: channels-last modules use nn.Linear, channels-first ones nn.Conv2d 1x1.
 */
public enum Layout {
    NCHW(2, 3),
    NHWC(1, 2);

    private final int heightAxis;
    private final int widthAxis;

    Layout(int heightAxis, int widthAxis) {
        this.heightAxis = heightAxis;
        this.widthAxis = widthAxis;
    }

    public int heightAxis() {
        return heightAxis;
    }

    public int widthAxis() {
        return widthAxis;
    }
}
