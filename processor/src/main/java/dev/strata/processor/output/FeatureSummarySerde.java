package dev.strata.processor.output;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Writes the configured feature format; reads either. A null value stays null. */
public final class FeatureSummarySerde implements Serde<FeatureSummary> {

    private final FeatureSummaryWriter writer;

    public FeatureSummarySerde(FeatureFormat format, FeaturePrecision precision) {
        this.writer = new FeatureSummaryWriter(format, precision);
    }

    @Override
    public Serializer<FeatureSummary> serializer() {
        return (topic, summary) -> {
            if (summary == null) {
                return null;
            }
            try {
                return writer.write(summary);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("cannot write the feature summary of frame " + summary.frameId()
                        + " for topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public Deserializer<FeatureSummary> deserializer() {
        return new FeatureSummaryReader();
    }
}
