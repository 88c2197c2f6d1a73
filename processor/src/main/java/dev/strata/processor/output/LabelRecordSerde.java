package dev.strata.processor.output;

import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** UTF-8 JSON for {@link LabelRecord}; a null value stays null (a tombstone). */
public final class LabelRecordSerde implements Serde<LabelRecord> {

    @Override
    public Serializer<LabelRecord> serializer() {
        return (topic, record) -> {
            if (record == null) {
                return null;
            }
            try {
                return Json.MAPPER.writeValueAsBytes(record);
            } catch (IOException e) {
                throw new SerializationException("cannot write the label record of frame " + record.frameId()
                        + " for topic " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<LabelRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.MAPPER.readValue(bytes, LabelRecord.class);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a label record (topic " + topic + "): " + e.getMessage(), e);
            }
        };
    }
}
