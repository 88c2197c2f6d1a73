package dev.strata.processor.testing;

/** Reads values out of a Prometheus text-format scrape. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of every series of {@code metric} (any labels); 0 when there is none. */
    public static double sum(String scrape, String metric) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
