package dev.strata.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.processor.config.StrataConfig;
import dev.strata.processor.inference.ModelLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures before Kafka is involved: nothing is left behind, the HTTP port included. */
class StrataAppTest {

    @TempDir
    Path dir;

    @Test
    void aModelThatCannotLoadFailsTheStartAndReleasesTheHttpPort() throws IOException {
        Path broken = Files.write(dir.resolve("broken.onnx"), new byte[] {1, 2, 3});
        int port = freePort();
        StrataConfig config = StrataConfig.load(Optional.empty(), Map.of(
                "STRATA_MODEL_PATH", broken.toString(),
                "STRATA_HTTP_PORT", Integer.toString(port)));

        assertThatThrownBy(() -> StrataApp.start(config)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("broken.onnx");

        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(port));
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void aTakenHttpPortFailsTheStartBeforeTheModelLoads() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            StrataConfig config = StrataConfig.load(Optional.empty(), Map.of(
                    // Loading this would fail with a ModelLoadException: the port is checked first.
                    "STRATA_MODEL_PATH", Files.write(dir.resolve("never-loaded.onnx"), new byte[] {1}).toString(),
                    "STRATA_HTTP_PORT", Integer.toString(taken.getLocalPort())));

            assertThatThrownBy(() -> StrataApp.start(config)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("strata.http.port");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
