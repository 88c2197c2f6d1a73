package dev.strata.processor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.processor.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options are refused before anything starts, in the options' own terms. */
class DemoCommandTest {

    private final StringWriter err = new StringWriter();

    @Test
    void refusesAnUnknownModelNamingTheOption() {
        assertThat(demo("--model", "no-such-net")).isEqualTo(2);
        assertThat(err.toString()).contains("strata.model.arch = 'no-such-net' (from option --model)")
                .contains("ConvMLP-S");
    }

    @Test
    void refusesAnInputSizeOutOfRange() {
        assertThat(demo("--input-size", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("(from option --input-size): must be between 16 and 4096");
    }

    @Test
    void refusesOptionsThatDoNotFitTogether() {
        assertThat(demo("--fps", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--fps must be positive");
        assertThat(demo("--mjpeg", "-", "--streams", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("standard input can feed one stream only");
    }

    private int demo(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "demo";
        System.arraycopy(args, 0, all, 1, args.length);
        PrintWriter writer = new PrintWriter(err, true);
        return new CommandLine(new Main()).setOut(writer).setErr(writer).execute(all);
    }
}
