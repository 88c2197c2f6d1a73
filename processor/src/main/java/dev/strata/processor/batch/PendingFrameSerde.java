package dev.strata.processor.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link PendingFrame} in the pending store and its changelog. Kafka has no serde
 * for a whole record with headers, hence this one. Layout (big-endian): version byte, topic
 * (int length + UTF-8), partition int, offset long, timestamp long, key and value (int length,
 * -1 for null, + bytes), header count int, then per header key (int length + UTF-8) and value
 * (int length, -1 for null, + bytes).
 */
public final class PendingFrameSerde implements Serde<PendingFrame> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<PendingFrame> serializer() {
        return (topic, frame) -> frame == null ? null : encode(frame);
    }

    @Override
    public Deserializer<PendingFrame> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(PendingFrame frame) {
        byte[] topic = frame.topic().getBytes(StandardCharsets.UTF_8);
        int size = 1 + 4 + topic.length + 4 + 8 + 8 + sized(frame.key()) + sized(frame.value()) + 4;
        List<byte[]> headerKeys = new ArrayList<>(frame.headers().size());
        for (Header header : frame.headers()) {
            byte[] key = header.key().getBytes(StandardCharsets.UTF_8);
            headerKeys.add(key);
            size += 4 + key.length + sized(header.value());
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        out.putInt(topic.length).put(topic);
        out.putInt(frame.partition());
        out.putLong(frame.offset());
        out.putLong(frame.timestamp());
        putNullable(out, frame.key());
        putNullable(out, frame.value());
        out.putInt(frame.headers().size());
        for (int i = 0; i < frame.headers().size(); i++) {
            byte[] key = headerKeys.get(i);
            out.putInt(key.length).put(key);
            putNullable(out, frame.headers().get(i).value());
        }
        return out.array();
    }

    static PendingFrame decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new SerializationException("pending frame has unknown format version " + version);
            }
            String topic = new String(getNullable(in), StandardCharsets.UTF_8);
            int partition = in.getInt();
            long offset = in.getLong();
            long timestamp = in.getLong();
            byte[] key = getNullable(in);
            byte[] value = getNullable(in);
            int headerCount = in.getInt();
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                String headerKey = new String(getNullable(in), StandardCharsets.UTF_8);
                headers.add(new RecordHeader(headerKey, getNullable(in)));
            }
            return new PendingFrame(topic, partition, offset, timestamp, key, value, headers);
        } catch (RuntimeException e) {
            throw new SerializationException("corrupt pending frame (" + bytes.length + " bytes)", e);
        }
    }

    private static int sized(byte[] bytes) {
        return 4 + (bytes == null ? 0 : bytes.length);
    }

    private static void putNullable(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length).put(bytes);
        }
    }

    private static byte[] getNullable(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
