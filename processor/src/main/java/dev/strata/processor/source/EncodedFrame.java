package dev.strata.processor.source;

import dev.strata.processor.frame.ContentType;
import java.util.Objects;

/**
 * One frame as it goes on the frames topic: the encoded image and its type.
 *
 * @param data        the record value; shared, not copied
 * @param contentType written as the {@code content-type} header
 */
public record EncodedFrame(byte[] data, ContentType contentType) {

    public EncodedFrame {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(contentType, "contentType");
    }
}
