package dev.strata.processor.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.processor.output.ScoredLabel;
import java.util.List;

/**
 * The value of a {@code frames.events} record (JSON); the key is the stream id. Fields that do
 * not apply to the event's type are left out.
 *
 * <pre>{@code
 * {"type":"scene_change","streamId":"cam-1","frameId":"f-90","captureTs":1732527003000,
 *  "distance":0.62,"previousFrameId":"f-89"}
 * {"type":"label_change","streamId":"cam-1","frameId":"f-95","captureTs":1732527003200,
 *  "from":{"index":281,"label":"tabby, tabby cat","score":0.6},
 *  "to":{"index":207,"label":"golden retriever","score":0.8},"confidence":0.8}
 * {"type":"stream_idle","streamId":"cam-1","frameId":"f-95","captureTs":1732527003200,"idleMs":300012}
 * }</pre>
 *
 * @param frameId         the frame that triggered the event; for stream_idle, the stream's last frame
 * @param distance        scene_change: cosine distance to the previous frame
 * @param previousFrameId scene_change: the frame before the cut
 * @param from            label_change: the smoothed label before; null for a stream's first label
 * @param to              label_change: the smoothed label now
 * @param confidence      label_change: vote share (majority) or averaged score (ema) of {@code to}
 * @param idleMs          stream_idle: wall-clock time since the stream's last frame
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "streamId", "frameId", "captureTs", "distance", "previousFrameId", "from", "to",
        "confidence", "idleMs"})
public record StreamEvent(
        String type,
        String streamId,
        String frameId,
        long captureTs,
        Double distance,
        String previousFrameId,
        ScoredLabel from,
        ScoredLabel to,
        Double confidence,
        Long idleMs) {

    public static final String SCENE_CHANGE = "scene_change";
    public static final String LABEL_CHANGE = "label_change";
    public static final String STREAM_IDLE = "stream_idle";
    /** Every type, in the order above; each has its metric series from start-up on. */
    public static final List<String> TYPES = List.of(SCENE_CHANGE, LABEL_CHANGE, STREAM_IDLE);

    static StreamEvent sceneChange(String streamId, EventInput frame, double distance, String previousFrameId) {
        return new StreamEvent(SCENE_CHANGE, streamId, frame.frameId(), frame.captureTs(), distance,
                previousFrameId, null, null, null, null);
    }

    static StreamEvent labelChange(String streamId, EventInput frame, ScoredLabel from, ScoredLabel to,
                                   double confidence) {
        return new StreamEvent(LABEL_CHANGE, streamId, frame.frameId(), frame.captureTs(), null, null, from, to,
                confidence, null);
    }

    static StreamEvent idle(String streamId, String lastFrameId, long lastCaptureTs, long idleMs) {
        return new StreamEvent(STREAM_IDLE, streamId, lastFrameId, lastCaptureTs, null, null, null, null, null,
                idleMs);
    }
}
