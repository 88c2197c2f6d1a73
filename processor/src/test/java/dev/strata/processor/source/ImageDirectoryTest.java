package dev.strata.processor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.frame.ContentType;
import dev.strata.processor.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void sendsTheImagesInNameOrderWithTheTypeTheirBytesHave() throws IOException {
        byte[] jpeg = TestImages.encode(TestImages.drawing(32, 24), "jpg");
        byte[] png = TestImages.encode(TestImages.drawing(24, 32), "png");
        byte[] bmp = TestImages.encode(TestImages.drawing(16, 16), "bmp");
        Files.write(dir.resolve("b.PNG"), png);
        Files.write(dir.resolve("a.jpg"), jpeg);
        Files.write(dir.resolve("c.bmp"), bmp);
        Files.write(dir.resolve("d.jpeg"), png); // misnamed: sent as what it is
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.createDirectory(dir.resolve("e.jpg"));

        try (ImageDirectory images = ImageDirectory.open(dir, false)) {
            List<EncodedFrame> frames = drain(images);

            assertThat(frames).extracting(EncodedFrame::contentType)
                    .containsExactly(ContentType.JPEG, ContentType.PNG, ContentType.BMP, ContentType.PNG);
            assertThat(frames).extracting(EncodedFrame::data).containsExactly(jpeg, png, bmp, png);
        }
    }

    @Test
    void loopsWhenAsked() throws IOException {
        Files.write(dir.resolve("1.jpg"), TestImages.encode(TestImages.drawing(8, 8), "jpg"));
        Files.write(dir.resolve("2.png"), TestImages.encode(TestImages.drawing(8, 8), "png"));

        try (ImageDirectory images = ImageDirectory.open(dir, true)) {
            List<ContentType> types = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                types.add(images.next().orElseThrow().contentType());
            }
            assertThat(types).containsExactly(ContentType.JPEG, ContentType.PNG, ContentType.JPEG, ContentType.PNG,
                    ContentType.JPEG);
        }
    }

    @Test
    void refusesADirectoryWithoutImages() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "nothing to see");

        assertThatThrownBy(() -> ImageDirectory.open(dir, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no .jpg, .jpeg, .png or .bmp file");
        assertThatThrownBy(() -> ImageDirectory.open(dir.resolve("readme.txt"), false))
                .hasMessageContaining("is not a directory");
    }

    @Test
    void aRepeatedImageIsReadOnceAndSentForEver() throws IOException {
        Path file = dir.resolve("still.png");
        byte[] png = TestImages.encode(TestImages.drawing(8, 8), "png");
        Files.write(file, png);

        try (RepeatedImage image = RepeatedImage.open(file)) {
            Files.delete(file);
            for (int i = 0; i < 3; i++) {
                assertThat(image.next()).hasValueSatisfying(frame -> {
                    assertThat(frame.data()).isEqualTo(png);
                    assertThat(frame.contentType()).isEqualTo(ContentType.PNG);
                });
            }
        }
    }

    private static List<EncodedFrame> drain(ImageSource source) throws IOException {
        List<EncodedFrame> frames = new ArrayList<>();
        for (Optional<EncodedFrame> f = source.next(); f.isPresent(); f = source.next()) {
            frames.add(f.get());
        }
        return frames;
    }
}
