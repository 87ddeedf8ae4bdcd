package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;

/**
 * The documentation cannot drift from the product: every {@code ```bash} block of the README's tour
 * and of docs/api-tour.md runs, in order and in one shell session, against a running Flowmate with
 * a fresh tenant's admin key, as a reader pasting them would; and no link leaves the repository.
 */
// As a reader's server behaves: the simulator pairs after its default 3 s, the governor paces and
// shows "typing…"; only the campaign delay (30–120 s by default) is shortened to keep the run
// short.
@TestPropertySource(
    properties = {
      "flowmate.gateway.simulator.pairing-delay=3s",
      "flowmate.gateway.simulator.delivery-delay=500ms",
      "flowmate.gateway.simulator.read-delay=1s",
      "flowmate.messaging.governor.pacing=true",
      "flowmate.messaging.governor.typing.enabled=true",
      "flowmate.messaging.governor.typing.max=1s",
      "flowmate.outreach.campaigns.minimum-delay=1s",
      "flowmate.outreach.campaigns.delay-min=4s",
      "flowmate.outreach.campaigns.delay-max=5s"
    })
class DocumentationTests extends IntegrationTest {

  /** The tour, in reading order: the README's first steps, then the rest of it. */
  private static final List<Path> TOUR = List.of(Path.of("README.md"), Path.of("docs/api-tour.md"));

  private static final long BLOCK_TIME_LIMIT_SECONDS = 240;

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @TempDir Path shell;

  record Block(Path file, int line, String script) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyShellBlockOfTheTourRunsAndPrintsNoNull() throws IOException {
    String key = newTenant("business").adminKey();
    List<Block> blocks = new ArrayList<>();
    for (Path file : TOUR) {
      blocks.addAll(shellBlocks(file));
    }
    assertThat(blocks).as("shell blocks of the tour").isNotEmpty();
    assertThat(blocks.getFirst().script())
        .as("the tour starts by setting FM and KEY")
        .contains("KEY=fm_...");
    return blocks.stream()
        .map(block -> DynamicTest.dynamicTest(block.toString(), () -> run(block, key)));
  }

  @Test
  void onlyTheTourHasShellBlocksThatRun() throws IOException {
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
        if (!TOUR.contains(doc)) {
          assertThat(shellBlocks(doc))
              .as(
                  "%s has ```bash blocks no test runs: move them to the tour or fence them as sh",
                  doc)
              .isEmpty();
        }
      }
    }
  }

  @Test
  void everyLinkStaysInsideTheRepositoryAndFindsItsFile() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    Path root = Path.of("").toAbsolutePath();
    for (Path page : pages) {
      Matcher links = LINK.matcher(Files.readString(page));
      while (links.find()) {
        String target = links.group(1);
        if (target.startsWith("http://")
            || target.startsWith("https://")
            || target.startsWith("#")) {
          continue;
        }
        Path file =
            page.toAbsolutePath().getParent().resolve(target.replaceFirst("#.*", "")).normalize();
        assertThat(file).as("%s links to %s", page, target).startsWith(root).exists();
      }
    }
  }

  /** The {@code ```bash} blocks of a page; {@code ```sh} and other fences are shown, not run. */
  private static List<Block> shellBlocks(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("```bash")) {
        int start = i + 1;
        StringBuilder script = new StringBuilder();
        for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
          script.append(lines.get(i)).append('\n');
        }
        blocks.add(new Block(file, start, script.toString()));
      }
    }
    return blocks;
  }

  /**
   * Runs a block with bash in strict mode, after the variables and functions the blocks before it
   * left behind, and keeps what it leaves for the next one. A block must stop what it started in
   * the background.
   */
  private void run(Block block, String key) throws IOException, InterruptedException {
    String script =
        block
            .script()
            .replace("http://localhost:8080", "http://localhost:" + port)
            .replace("KEY=fm_...", "KEY=" + key);
    Path file = shell.resolve("block.sh");
    Files.writeString(
        file,
        """
        set -euo pipefail
        __before=$(compgen -v)
        if [ -f state.sh ]; then source state.sh; fi
        %s
        if [ -n "$(jobs -p)" ]; then
          echo "left running in the background: $(jobs -p)"; kill $(jobs -p); exit 97
        fi
        __names=$(compgen -v | grep -vxFf <(echo "$__before"; echo _; echo __before) || true)
        { declare -p $__names 2>/dev/null || true; declare -f; } > state.sh
        """
            .formatted(script));
    Path output = shell.resolve("output.txt");
    Process bash =
        new ProcessBuilder("bash", file.toString())
            .directory(shell.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = bash.waitFor(BLOCK_TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly().waitFor();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    System.out.printf("--- %s ---%n%s%n", block, printed);
    assertThat(finished)
        .as("%s ended within %d s; it printed:%n%s", block, BLOCK_TIME_LIMIT_SECONDS, printed)
        .isTrue();
    assertThat(bash.exitValue()).as("exit code of %s; it printed:%n%s", block, printed).isZero();
    assertThat(printed.lines())
        .as("%s printed a bare null (a field the API does not have?):%n%s", block, printed)
        .doesNotContain("null");
  }
}
