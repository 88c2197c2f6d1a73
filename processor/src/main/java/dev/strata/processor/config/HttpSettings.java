package dev.strata.processor.config;

/** The metrics and health endpoint ({@code strata.http}); port 0 picks a free port. */
public record HttpSettings(int port) {

    static HttpSettings parse(Settings s) {
        return new HttpSettings(s.intBetween("strata.http.port", 0, 65535));
    }
}
