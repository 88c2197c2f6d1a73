package dev.strata.processor.output;

/** UTF-8 JSON for {@link LabelRecord}; a null value stays null (a tombstone). */
public final class LabelRecordSerde extends JsonSerde<LabelRecord> {

    public LabelRecordSerde() {
        super(LabelRecord.class);
    }
}
