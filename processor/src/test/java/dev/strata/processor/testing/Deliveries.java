package dev.strata.processor.testing;

import dev.strata.processor.output.LabelRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What reached the labels topic, against the frames that were sent: which frames were lost,
 * which were labelled more than once, and the order of each stream's labels as a consumer of the
 * topic sees it.
 *
 * @param sent     frame ids sent, {@code f<n>}
 * @param labels   the labels topic's records in partition order
 */
public record Deliveries(List<String> sent, List<ConsumerRecord<String, LabelRecord>> labels) {

    public static Deliveries of(List<String> sent, List<ConsumerRecord<String, LabelRecord>> labels) {
        return new Deliveries(List.copyOf(sent), List.copyOf(labels));
    }

    /** Frames sent and never labelled. */
    public Set<String> lost() {
        Set<String> lost = new LinkedHashSet<>(sent);
        labels.forEach(r -> lost.remove(r.value().frameId()));
        return lost;
    }

    /** Label records beyond the first of their frame. */
    public int duplicates() {
        return labels.size() - (int) labels.stream().map(r -> r.value().frameId()).distinct().count();
    }

    /** Each stream's frame numbers in the order its label records appear (a stream is on one partition). */
    public Map<String, List<Integer>> perStream() {
        Map<String, List<Integer>> streams = new TreeMap<>();
        byPartitionInOffsetOrder().forEach(r -> streams.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(frameNumber(r.value())));
        return streams;
    }

    /** Each stream's frame numbers in the order of their first label record, later repeats left out. */
    public Map<String, List<Integer>> firstOccurrencesPerStream() {
        Map<String, List<Integer>> firsts = new TreeMap<>();
        perStream().forEach((stream, numbers) -> firsts.put(stream, List.copyOf(new LinkedHashSet<>(numbers))));
        return firsts;
    }

    private List<ConsumerRecord<String, LabelRecord>> byPartitionInOffsetOrder() {
        Map<Integer, List<ConsumerRecord<String, LabelRecord>>> partitions = labels.stream().collect(
                Collectors.groupingBy(ConsumerRecord::partition, LinkedHashMap::new, Collectors.toList()));
        List<ConsumerRecord<String, LabelRecord>> ordered = new ArrayList<>();
        partitions.values().forEach(records -> records.stream()
                .sorted((a, b) -> Long.compare(a.offset(), b.offset())).forEach(ordered::add));
        return ordered;
    }

    private static int frameNumber(LabelRecord label) {
        return Integer.parseInt(label.frameId().substring(1));
    }

    @Override
    public String toString() {
        return sent.size() + " frames sent, " + labels.size() + " label records, " + lost().size() + " lost "
                + (lost().size() > 20 ? "" : lost()) + ", " + duplicates() + " duplicates";
    }
}
