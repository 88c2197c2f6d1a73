package dev.strata.processor.events;

import dev.strata.processor.output.ScoredLabel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link StreamState} for the store and its changelog, written on every
 * frame, so JSON's tenfold size for the embedding is worth avoiding. Big-endian: version byte,
 * last frame id (int length + UTF-8), last capture ts long, last seen long, embedding (int count
 * + floats), frames since cut int, recent top-1 (int count + ints), ema classes (int count + ints)
 * and scores (floats, same count), then a flag byte and, if set, the label (index int, name,
 * score float).
 */
public final class StreamStateSerde implements Serde<StreamState> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<StreamState> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<StreamState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(StreamState s) {
        byte[] frameId = s.lastFrameId().getBytes(StandardCharsets.UTF_8);
        byte[] labelName = s.label() == null ? new byte[0] : s.label().label().getBytes(StandardCharsets.UTF_8);
        int size = 1 + 4 + frameId.length + 8 + 8 + 4 + 4 * s.embedding().length + 4 + 4 + 4 * s.recentTop1().length
                + 4 + 8 * s.emaClasses().length + 1 + (s.label() == null ? 0 : 4 + 4 + labelName.length + 4);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        out.putInt(frameId.length).put(frameId);
        out.putLong(s.lastCaptureTs());
        out.putLong(s.lastSeenMs());
        out.putInt(s.embedding().length);
        for (float v : s.embedding()) {
            out.putFloat(v);
        }
        out.putInt(s.framesSinceCut());
        out.putInt(s.recentTop1().length);
        for (int c : s.recentTop1()) {
            out.putInt(c);
        }
        out.putInt(s.emaClasses().length);
        for (int i = 0; i < s.emaClasses().length; i++) {
            out.putInt(s.emaClasses()[i]).putFloat(s.emaScores()[i]);
        }
        out.put((byte) (s.label() == null ? 0 : 1));
        if (s.label() != null) {
            out.putInt(s.label().index()).putInt(labelName.length).put(labelName).putFloat(s.label().score());
        }
        return out.array();
    }

    static StreamState decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (in.get() != VERSION) {
                throw new SerializationException("stream state has an unknown format version");
            }
            String frameId = string(in);
            long captureTs = in.getLong();
            long seen = in.getLong();
            float[] embedding = new float[in.getInt()];
            for (int i = 0; i < embedding.length; i++) {
                embedding[i] = in.getFloat();
            }
            int framesSinceCut = in.getInt();
            int[] recent = new int[in.getInt()];
            for (int i = 0; i < recent.length; i++) {
                recent[i] = in.getInt();
            }
            int emaCount = in.getInt();
            int[] emaClasses = new int[emaCount];
            float[] emaScores = new float[emaCount];
            for (int i = 0; i < emaCount; i++) {
                emaClasses[i] = in.getInt();
                emaScores[i] = in.getFloat();
            }
            ScoredLabel label = in.get() == 0 ? null : new ScoredLabel(in.getInt(), string(in), in.getFloat());
            return new StreamState(frameId, captureTs, seen, embedding, framesSinceCut, recent, emaClasses,
                    emaScores, label);
        } catch (RuntimeException e) {
            throw new SerializationException("corrupt stream state (" + bytes.length + " bytes)", e);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
