package dev.strata.processor.events;

import dev.strata.processor.output.ScoredLabel;

/**
 * What the event detector remembers of one stream between its frames; kept per stream id in a
 * changelogged store so it survives restarts and rebalances.
 *
 * @param lastFrameId     the stream's previous frame
 * @param lastCaptureTs   its capture time
 * @param lastSeenMs      wall-clock time it was processed, for idle expiry
 * @param embedding       its L2-normalised pooled features
 * @param framesSinceCut  frames since the last reported scene change
 * @param recentTop1      top-1 class indices of the last frames, oldest first (majority smoothing)
 * @param emaClasses      classes with a non-negligible averaged score (ema smoothing)...
 * @param emaScores       ...and those scores
 * @param label           the current smoothed label, with its confidence as score; null before any
 */
public record StreamState(
        String lastFrameId,
        long lastCaptureTs,
        long lastSeenMs,
        float[] embedding,
        int framesSinceCut,
        int[] recentTop1,
        int[] emaClasses,
        float[] emaScores,
        ScoredLabel label) {
}
