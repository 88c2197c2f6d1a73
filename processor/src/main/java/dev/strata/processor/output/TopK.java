package dev.strata.processor.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The k most likely classes of each frame of a batch, with softmax scores. Thread-safe.
 *
 * <p>The softmax subtracts the row's maximum before exponentiating and sums in double, so large
 * logits neither overflow nor lose the small scores. Equal logits rank by class index.
 */
public final class TopK {

    private final ClassLabels labels;
    private final int k;

    /** @throws IllegalArgumentException when k is not in [1, number of classes] */
    public TopK(ClassLabels labels, int k) {
        this.labels = Objects.requireNonNull(labels, "labels");
        if (k < 1 || k > labels.size()) {
            throw new IllegalArgumentException("top-k must be between 1 and the " + labels.size() + " classes of the "
                    + labels.origin() + ", not " + k);
        }
        this.k = k;
    }

    /** The class names the labels are taken from. */
    public ClassLabels labels() {
        return labels;
    }

    /**
     * Ranks row {@code batchIndex} of a {@code [batch, classes]} logits array.
     *
     * @throws IllegalArgumentException when a logit of the row is not finite (a broken model)
     */
    public List<ScoredLabel> select(float[] logits, int batchIndex) {
        int classes = labels.size();
        int offset = Math.multiplyExact(batchIndex, classes);
        Objects.checkFromIndexSize(offset, classes, logits.length);

        // best[0..found) holds class indices, best first.
        int[] best = new int[k];
        int found = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float v = logits[offset + c];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("logit " + c + " of batch row " + batchIndex + " is " + v);
            }
            max = Math.max(max, v);
            if (found == k && v <= logits[offset + best[k - 1]]) {
                continue;
            }
            // Binary search for the slot: after every entry with a logit >= v (earlier index wins ties).
            int lo = 0;
            int hi = found;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (logits[offset + best[mid]] >= v) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int last = Math.min(found, k - 1);
            System.arraycopy(best, lo, best, lo + 1, last - lo);
            best[lo] = c;
            found = Math.min(found + 1, k);
        }

        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[offset + c] - (double) max);
        }
        List<ScoredLabel> top = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int c = best[i];
            top.add(new ScoredLabel(c, labels.name(c), (float) (Math.exp(logits[offset + c] - (double) max) / sum)));
        }
        return List.copyOf(top);
    }
}
