package dev.strata.processor.frame;

import dev.strata.processor.testing.TestImages;

import static dev.strata.processor.testing.TestImages.headers;
import static dev.strata.processor.testing.TestImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final FrameRejectedException REJECTION = new FrameRejectedException(RejectReason.BAD_HEADER,
            new FrameSource("frames", 5, 1234), "header capture-ts = 'x' is not a non-negative decimal number");

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheFrameAndAddsWhyAndWhereFrom() {
        byte[] value = {1, 2, 3};

        DeadLetter letter = DeadLetter.of(utf8("cam-1"), value, headers("capture-ts", "x", "frame-id", "f1"), 77L,
                REJECTION, 1 << 20);

        assertThat(letter.key()).isEqualTo(utf8("cam-1"));
        assertThat(letter.value()).isEqualTo(value);
        assertThat(letter.timestamp()).isEqualTo(77L);
        Headers h = letter.headers();
        assertThat(header(h, "capture-ts")).isEqualTo("x");
        assertThat(header(h, "frame-id")).isEqualTo("f1");
        assertThat(header(h, DeadLetter.ERROR_CLASS)).isEqualTo("BAD_HEADER");
        assertThat(header(h, DeadLetter.ERROR_MESSAGE)).isEqualTo(REJECTION.detail());
        assertThat(header(h, DeadLetter.SOURCE_TOPIC)).isEqualTo("frames");
        assertThat(header(h, DeadLetter.SOURCE_PARTITION)).isEqualTo("5");
        assertThat(header(h, DeadLetter.SOURCE_OFFSET)).isEqualTo("1234");
        assertThat(header(h, DeadLetter.VALUE_OMITTED)).isNull();
    }

    @Test
    void keepsANullKeyAndValue() {
        DeadLetter letter = DeadLetter.of(null, null, null, 0L, REJECTION, 1 << 20);

        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
        assertThat(header(letter.headers(), DeadLetter.ERROR_CLASS)).isEqualTo("BAD_HEADER");
    }

    @Test
    void replacesTheVerdictOfAFrameThatWasDeadLetteredBefore() {
        Headers earlier = headers(DeadLetter.ERROR_CLASS, "CORRUPT", DeadLetter.SOURCE_OFFSET, "1");

        DeadLetter letter = DeadLetter.of(utf8("cam"), new byte[1], earlier, 0L, REJECTION, 1 << 20);

        assertThat(letter.headers().headers(DeadLetter.ERROR_CLASS)).hasSize(1);
        assertThat(header(letter.headers(), DeadLetter.ERROR_CLASS)).isEqualTo("BAD_HEADER");
        assertThat(header(letter.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1234");
    }

    @Test
    void leavesOutAValueTooLargeForOneProducerRequest() {
        byte[] huge = new byte[100_000];

        DeadLetter letter = DeadLetter.of(utf8("cam"), huge, headers(), 0L, REJECTION, 50_000);

        assertThat(letter.value()).isNull();
        assertThat(header(letter.headers(), DeadLetter.VALUE_OMITTED)).isEqualTo("100000");
        assertThat(DeadLetter.of(utf8("cam"), huge, headers(), 0L, REJECTION, 200_000).value()).isSameAs(huge);
    }

    @Test
    void leavesOutHeadersAndThenTheKeyWhenEvenTheyDoNotFit() {
        Headers bulky = headers("x-blob", "b".repeat(60_000));

        DeadLetter noHeaders = DeadLetter.of(utf8("cam"), new byte[10], bulky, 0L, REJECTION, 50_000);
        DeadLetter noKey = DeadLetter.of(utf8("k".repeat(60_000)), new byte[10], bulky, 0L, REJECTION, 50_000);

        assertThat(noHeaders.key()).isEqualTo(utf8("cam"));
        assertThat(noHeaders.headers().lastHeader("x-blob")).isNull();
        assertThat(header(noHeaders.headers(), DeadLetter.HEADERS_OMITTED)).isEqualTo("60006");
        assertThat(header(noHeaders.headers(), DeadLetter.ERROR_CLASS)).isEqualTo("BAD_HEADER");
        assertThat(noKey.key()).isNull();
        assertThat(header(noKey.headers(), DeadLetter.KEY_OMITTED)).isEqualTo("60000");
        assertThat(header(noKey.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1234");
    }

    @Test
    void buildsFromAParsedFrame() throws Exception {
        byte[] png = TestImages.encode(TestImages.drawing(8, 8), "png");
        FrameEnvelope frame = TestImages.envelope(png, headers("frame-id", "f9"));

        Record<byte[], byte[]> record = DeadLetter.of(frame, REJECTION, 1 << 20).toRecord();

        assertThat(record.key()).isEqualTo(utf8("cam-1"));
        assertThat(record.value()).isSameAs(png);
        assertThat(record.timestamp()).isEqualTo(1_000L);
        assertThat(header(record.headers(), "frame-id")).isEqualTo("f9");
        assertThat(header(record.headers(), DeadLetter.ERROR_CLASS)).isEqualTo("BAD_HEADER");
        // The frame's own headers stay read-only and untouched.
        assertThat(Arrays.stream(frame.headers().toArray()).map(Header::key)).containsExactly("frame-id");
    }
}
