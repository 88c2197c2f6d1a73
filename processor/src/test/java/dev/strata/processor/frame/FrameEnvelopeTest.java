package dev.strata.processor.frame;

import dev.strata.processor.testing.TestImages;

import static dev.strata.processor.testing.TestImages.LIMITS;
import static dev.strata.processor.testing.TestImages.SOURCE;
import static dev.strata.processor.testing.TestImages.headers;
import static dev.strata.processor.testing.TestImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameEnvelopeTest {

    private static final byte[] PNG = TestImages.encode(TestImages.drawing(8, 8), "png");

    private static FrameEnvelope parse(byte[] key, byte[] value, Headers headers) throws FrameRejectedException {
        return FrameEnvelope.parse(key, value, headers, SOURCE, 1_000L, LIMITS);
    }

    private static void assertRejected(RejectReason reason, String detailPart, byte[] key, byte[] value,
                                       Headers headers) {
        assertThatThrownBy(() -> parse(key, value, headers))
                .isInstanceOfSatisfying(FrameRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.source()).isEqualTo(SOURCE);
                    assertThat(e.detail()).contains(detailPart);
                    assertThat(e.getMessage()).startsWith(reason + " frames-3@42: ");
                });
    }

    @Test
    void readsAllHeaders() throws Exception {
        FrameEnvelope frame = parse(utf8("cam-7"), PNG, headers("content-type", "image/png", "frame-id", "f-0001",
                "capture-ts", "1732527000123", "width", "8", "height", "8"));

        assertThat(frame.streamId()).isEqualTo("cam-7");
        assertThat(frame.frameId()).isEqualTo("f-0001");
        assertThat(frame.captureTs()).isEqualTo(1_732_527_000_123L);
        assertThat(frame.contentType()).isEqualTo(ContentType.PNG);
        assertThat(frame.declaredSize()).contains(new Dimensions(8, 8));
        assertThat(frame.value()).isSameAs(PNG);
        assertThat(frame.source()).isEqualTo(SOURCE);
        assertThat(frame.recordTimestamp()).isEqualTo(1_000L);
        assertThat(frame.headers().toArray()).hasSize(5);
    }

    @Test
    void missingOptionalHeadersGetDefaults() throws Exception {
        FrameEnvelope frame = parse(utf8("cam-7"), PNG, new RecordHeaders());

        assertThat(frame.frameId()).isEqualTo("3-42");
        assertThat(frame.captureTs()).isEqualTo(1_000L);
        assertThat(frame.contentType()).isEqualTo(ContentType.PNG);
        assertThat(frame.declaredSize()).isEmpty();
    }

    @Test
    void nullHeadersCountAsNone() throws Exception {
        assertThat(parse(utf8("cam-7"), PNG, null).headers().toArray()).isEmpty();
    }

    @Test
    void keepsAReadOnlyCopyOfTheHeaders() throws Exception {
        Headers original = headers("frame-id", "a");
        FrameEnvelope frame = parse(utf8("cam-7"), PNG, original);
        original.add("late", new byte[0]);

        assertThat(frame.headers().toArray()).hasSize(1);
        assertThatThrownBy(() -> frame.headers().add("x", new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLastOfRepeatedHeadersWins() throws Exception {
        FrameEnvelope frame = parse(utf8("cam-7"), PNG, headers("frame-id", "old", "frame-id", "new"));

        assertThat(frame.frameId()).isEqualTo("new");
    }

    @ParameterizedTest
    @CsvSource({"image/jpeg,JPEG", "JPEG,JPEG", "jpg,JPEG", "image/jpeg; q=0.9,JPEG", " image/png ,PNG", "png,PNG",
            "image/bmp,BMP", "image/x-ms-bmp,BMP", "application/x-rgb8,RGB8", "rgb8,RGB8"})
    void acceptsMediaTypesAndShortForms(String header, ContentType expected) {
        assertThat(ContentType.fromHeader(header)).contains(expected);
    }

    @Test
    void sniffsEncodedImagesWithoutAContentType() {
        assertThat(ContentType.sniff(TestImages.encode(TestImages.drawing(8, 8), "jpeg"))).contains(ContentType.JPEG);
        assertThat(ContentType.sniff(PNG)).contains(ContentType.PNG);
        assertThat(ContentType.sniff(TestImages.encode(TestImages.drawing(8, 8), "bmp"))).contains(ContentType.BMP);
        assertThat(ContentType.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty();
    }

    @Test
    void rawFramesCarryTheirSize() throws Exception {
        FrameEnvelope frame = parse(utf8("cam-7"), new byte[12], headers("content-type", "rgb8", "width", "2",
                "height", "2"));

        assertThat(frame.contentType()).isEqualTo(ContentType.RGB8);
        assertThat(frame.declaredSize()).contains(new Dimensions(2, 2));
    }

    @Test
    void rejectsAnEmptyOrNullValue() {
        assertRejected(RejectReason.EMPTY, "empty", utf8("cam"), new byte[0], new RecordHeaders());
        assertRejected(RejectReason.EMPTY, "empty", utf8("cam"), null, new RecordHeaders());
    }

    @Test
    void rejectsAMissingEmptyOrNonUtf8Key() {
        assertRejected(RejectReason.BAD_KEY, "null", null, PNG, new RecordHeaders());
        assertRejected(RejectReason.BAD_KEY, "empty", new byte[0], PNG, new RecordHeaders());
        assertRejected(RejectReason.BAD_KEY, "UTF-8", new byte[] {(byte) 0xC3, (byte) 0x28}, PNG, new RecordHeaders());
    }

    @Test
    void rejectsAKeyOrHeadersTooLargeToCopyIntoOutputRecords() throws Exception {
        byte[] longKey = utf8("k".repeat(FrameLimits.MAX_KEY_AND_HEADERS_BYTES + 1));
        RecordHeaders bulky = new RecordHeaders();
        // 3 bytes of key, 6 of header name: one byte over.
        bulky.add("x-blob", new byte[FrameLimits.MAX_KEY_AND_HEADERS_BYTES - 8]);

        assertRejected(RejectReason.BAD_KEY, "has 32769 bytes, more than 32768", longKey, PNG, new RecordHeaders());
        assertRejected(RejectReason.BAD_HEADER, "the key and headers take 32769 bytes", utf8("cam"), PNG, bulky);
        bulky.remove("x-blob");
        bulky.add("x-blob", new byte[FrameLimits.MAX_KEY_AND_HEADERS_BYTES - 9]);
        assertThat(parse(utf8("cam"), PNG, bulky).streamId()).isEqualTo("cam");
    }

    @Test
    void rejectsAValueOverTheByteLimit() {
        FrameLimits small = new FrameLimits(PNG.length - 1, 100, 100);

        assertThatThrownBy(() -> FrameEnvelope.parse(utf8("cam"), PNG, new RecordHeaders(), SOURCE, 0, small))
                .isInstanceOfSatisfying(FrameRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.TOO_LARGE_BYTES);
                    assertThat(e.detail()).contains(Integer.toString(PNG.length), "strata.frame.max-bytes");
                });
    }

    @Test
    void rejectsAnUnsupportedOrUnrecognisableType() {
        assertRejected(RejectReason.UNSUPPORTED_TYPE, "'image/gif'", utf8("cam"), PNG, headers("content-type",
                "image/gif"));
        assertRejected(RejectReason.UNSUPPORTED_TYPE, "no content-type", utf8("cam"), utf8("GIF89a...."),
                new RecordHeaders());
    }

    @Test
    void rejectsABadCaptureTimestamp() {
        assertRejected(RejectReason.BAD_HEADER, "capture-ts = 'yesterday'", utf8("cam"), PNG,
                headers("capture-ts", "yesterday"));
        assertRejected(RejectReason.BAD_HEADER, "capture-ts = '-5'", utf8("cam"), PNG, headers("capture-ts", "-5"));
        assertRejected(RejectReason.BAD_HEADER, "capture-ts", utf8("cam"), PNG,
                headers("capture-ts", "99999999999999999999"));
    }

    @Test
    void rejectsHeadersThatAreNotUtf8() {
        RecordHeaders binary = new RecordHeaders();
        binary.add("frame-id", new byte[] {(byte) 0xFF, (byte) 0xFE});

        assertRejected(RejectReason.BAD_HEADER, "frame-id is not valid UTF-8", utf8("cam"), PNG, binary);
    }

    @Test
    void rejectsAnEmptyFrameId() {
        assertRejected(RejectReason.BAD_HEADER, "frame-id is empty", utf8("cam"), PNG, headers("frame-id", ""));
    }

    @Test
    void rejectsBadDimensionHeaders() {
        assertRejected(RejectReason.BAD_HEADER, "together", utf8("cam"), PNG, headers("width", "8"));
        assertRejected(RejectReason.BAD_HEADER, "not a valid image size", utf8("cam"), PNG,
                headers("width", "0", "height", "8"));
        assertRejected(RejectReason.BAD_HEADER, "height = '8.5'", utf8("cam"), PNG,
                headers("width", "8", "height", "8.5"));
        assertRejected(RejectReason.BAD_HEADER, "not a valid image size", utf8("cam"), PNG,
                headers("width", "3000000000", "height", "8"));
    }

    @Test
    void rejectsRawFramesWithoutASize() {
        assertRejected(RejectReason.BAD_HEADER, "needs the width and height", utf8("cam"), new byte[12],
                headers("content-type", "application/x-rgb8"));
    }

    @Test
    void declaredSizeIsOptionalForEncodedImages() throws Exception {
        assertThat(parse(utf8("cam"), PNG, headers("content-type", "png")).declaredSize()).isEqualTo(Optional.empty());
    }
}
