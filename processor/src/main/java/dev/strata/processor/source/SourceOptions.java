package dev.strata.processor.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The command-line options that pick where frames come from, shared by {@code strata produce}
 * and {@code strata demo}: synthetic scenes unless {@code --images}, {@code --image} or
 * {@code --mjpeg} is given.
 */
public final class SourceOptions {

    /** The processor's default {@code strata.frame.max-bytes}: a larger MJPEG image would be dead-lettered. */
    static final int MAX_MJPEG_FRAME_BYTES = 16 * 1024 * 1024;
    /** Video time per frame when frames are sent unpaced. */
    private static final double UNPACED_VIDEO_FPS = 25;

    @ArgGroup(exclusive = true)
    private Selection selection;

    private static final class Selection {

        @Option(names = "--images", paramLabel = "DIR",
                description = "Send the .jpg/.jpeg/.png/.bmp files of DIR in name order.")
        private Path images;

        @Option(names = "--image", paramLabel = "FILE", description = "Send FILE as every frame.")
        private Path image;

        @Option(names = "--mjpeg", paramLabel = "FILE",
                description = "Send the JPEG images of an MJPEG file (concatenated JPEGs; '-' reads standard input).")
        private String mjpeg;
    }

    @Option(names = "--loop", description = "Start --images or --mjpeg again at the end.")
    private boolean loop;

    @Option(names = "--streams", paramLabel = "N",
            description = "Number of streams, with ids cam-1 .. cam-N; each has its own source "
                    + "(default: 1; 2 for the demo's synthetic scenes).")
    private Integer streams;

    @Option(names = "--stream-id", paramLabel = "ID", split = ",",
            description = "Stream ids (record keys), instead of cam-1 .. cam-N; repeat or separate by commas.")
    private List<String> streamIds;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "640",
            description = "Width of synthetic frames (default: ${DEFAULT-VALUE}).")
    private int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "360",
            description = "Height of synthetic frames (default: ${DEFAULT-VALUE}).")
    private int height;

    @Option(names = "--scene-seconds", paramLabel = "S", defaultValue = "5",
            description = "Seconds of synthetic video between scene cuts (default: ${DEFAULT-VALUE}).")
    private double sceneSeconds;

    @Option(names = "--scene-seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the first stream's synthetic scenes, N+1 of the second, ... "
                    + "(default: ${DEFAULT-VALUE}).")
    private long sceneSeed;

    /** The stream ids: as given, else cam-1 .. cam-N with N from --streams or {@code defaultStreams}. */
    public List<String> streamIds(int defaultStreams) {
        if (streamIds != null && !streamIds.isEmpty()) {
            if (streams != null && streams != streamIds.size()) {
                throw new IllegalArgumentException("--streams " + streams + " does not match the " + streamIds.size()
                        + " ids of --stream-id; give one or the other");
            }
            if (streamIds.stream().anyMatch(String::isEmpty) || streamIds.stream().distinct().count() < streamIds.size()) {
                throw new IllegalArgumentException("--stream-id values must be distinct and not empty: " + streamIds);
            }
            return List.copyOf(streamIds);
        }
        int n = streams != null ? streams : defaultStreams;
        if (n < 1) {
            throw new IllegalArgumentException("--streams must be at least 1: " + n);
        }
        return IntStream.rangeClosed(1, n).mapToObj(i -> "cam-" + i).toList();
    }

    /** Whether frames are drawn rather than read from files. */
    public boolean synthetic() {
        return selection == null;
    }

    /**
     * Opens one source per stream.
     *
     * @param fps the sending rate per stream (0: unpaced), which sets the synthetic video's time
     * @throws IllegalArgumentException when the options do not fit together or a path is unusable
     */
    public List<FramePublisher.Feed> open(int defaultStreams, double fps) throws IOException {
        List<String> ids = streamIds(defaultStreams);
        if (selection != null && selection.mjpeg != null && ids.size() > 1
                && MjpegSource.STDIN.equals(selection.mjpeg)) {
            throw new IllegalArgumentException("standard input can feed one stream only, not " + ids.size());
        }
        if (loop && synthetic()) {
            throw new IllegalArgumentException("--loop applies to --images and --mjpeg; synthetic scenes never end");
        }
        List<FramePublisher.Feed> feeds = new ArrayList<>(ids.size());
        try {
            for (int i = 0; i < ids.size(); i++) {
                feeds.add(new FramePublisher.Feed(ids.get(i), source(i, fps)));
            }
        } catch (IOException | RuntimeException e) {
            for (FramePublisher.Feed feed : feeds) {
                feed.source().close();
            }
            throw e;
        }
        return feeds;
    }

    private ImageSource source(int stream, double fps) throws IOException {
        if (selection == null) {
            return new SyntheticScenes(width, height, sceneSeed + stream, fps > 0 ? fps : UNPACED_VIDEO_FPS,
                    sceneSeconds);
        }
        if (selection.images != null) {
            return ImageDirectory.open(selection.images, loop);
        }
        if (selection.image != null) {
            if (loop) {
                throw new IllegalArgumentException("--loop does not apply to --image, which repeats for ever");
            }
            return RepeatedImage.open(selection.image);
        }
        return MjpegSource.open(selection.mjpeg, loop, MAX_MJPEG_FRAME_BYTES);
    }
}
