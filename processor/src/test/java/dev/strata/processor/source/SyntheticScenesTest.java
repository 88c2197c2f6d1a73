package dev.strata.processor.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.frame.ContentType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticScenesTest {

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        List<byte[]> first = frames(new SyntheticScenes(160, 90, 7, 10, 1), 12);
        List<byte[]> again = frames(new SyntheticScenes(160, 90, 7, 10, 1), 12);
        List<byte[]> other = frames(new SyntheticScenes(160, 90, 8, 10, 1), 12);

        assertThat(again).containsExactlyElementsOf(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(other.get(i)).isNotEqualTo(first.get(i));
        }
    }

    @Test
    void framesAreJpegsOfTheRequestedSize() throws IOException {
        try (SyntheticScenes scenes = new SyntheticScenes(200, 120, 1, 25, 5)) {
            EncodedFrame frame = scenes.next().orElseThrow();

            assertThat(frame.contentType()).isEqualTo(ContentType.JPEG);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(frame.data()));
            assertThat(decoded.getWidth()).isEqualTo(200);
            assertThat(decoded.getHeight()).isEqualTo(120);
        }
    }

    @Test
    void shapesMoveWithinASceneAndTheSceneChangesAtEachCut() {
        // 10 frames/s and a cut every 2 s: frames 0-19 scene 0, 20-39 scene 1, ...
        SyntheticScenes scenes = new SyntheticScenes(160, 90, 3, 10, 2);
        assertThat(scenes.sceneOf(0)).isEqualTo(0);
        assertThat(scenes.sceneOf(19)).isEqualTo(0);
        assertThat(scenes.sceneOf(20)).isEqualTo(1);
        assertThat(scenes.sceneOf(79)).isEqualTo(3);
        assertThat(scenes.sceneOf(80)).isEqualTo(0);

        double maxWithinScene = 0;
        double minAtCut = Double.MAX_VALUE;
        for (int i = 1; i < 80; i++) {
            double difference = meanDifference(scenes.render(i - 1), scenes.render(i));
            if (i % 20 == 0) {
                minAtCut = Math.min(minAtCut, difference);
            } else {
                assertThat(difference).as("motion from frame %d to %d", i - 1, i).isGreaterThan(0.5);
                maxWithinScene = Math.max(maxWithinScene, difference);
            }
        }
        assertThat(minAtCut).as("smallest change at a cut").isGreaterThan(3 * maxWithinScene);
    }

    private static List<byte[]> frames(SyntheticScenes scenes, int n) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (scenes) {
            for (int i = 0; i < n; i++) {
                frames.add(scenes.next().orElseThrow().data());
            }
        }
        return frames;
    }

    /** Mean absolute difference per channel, 0-255. */
    private static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
