package dev.strata.processor.frame;

import java.util.Objects;

/**
 * The one failure of frame parsing and decoding: the frame goes to the dead-letter topic.
 * Rejections are expected data, not bugs, so no stack trace is captured; the decoder's own
 * exception, if any, is kept as the cause.
 */
public final class FrameRejectedException extends Exception {

    private final RejectReason reason;
    private final FrameSource source;
    private final String detail;

    public FrameRejectedException(RejectReason reason, FrameSource source, String detail) {
        this(reason, source, detail, null);
    }

    public FrameRejectedException(RejectReason reason, FrameSource source, String detail, Throwable cause) {
        super(reason + " " + source + ": " + detail, cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.source = Objects.requireNonNull(source, "source");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public RejectReason reason() {
        return reason;
    }

    public FrameSource source() {
        return source;
    }

    /** The explanation without reason and source, as written in the {@code error-message} header. */
    public String detail() {
        return detail;
    }
}
