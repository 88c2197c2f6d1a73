package dev.strata.processor.config;

/** Kafka Streams' {@code processing.guarantee}, restricted to the two Strata supports. */
public enum ProcessingGuarantee {
    AT_LEAST_ONCE("at_least_once"),
    EXACTLY_ONCE_V2("exactly_once_v2");

    private final String kafkaName;

    ProcessingGuarantee(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The value Kafka Streams expects. */
    public String kafkaName() {
        return kafkaName;
    }
}
