package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each module owns its tables: migrations are named {@code V<n>__<module>_<what>.sql}, every table
 * a module creates starts with {@code <module>_}, and no module's code names another's table.
 */
class ModuleTableOwnershipTests {

  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
  private static final Path SOURCES = Path.of("src/main/java/io/flowmate");
  private static final Pattern MIGRATION_NAME = Pattern.compile("V\\d+__([a-z]+)_[a-z0-9_]+\\.sql");
  private static final Pattern CREATE_TABLE =
      Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)", Pattern.CASE_INSENSITIVE);

  /** Shared infrastructure, not a module's: Spring Modulith's event publication log. */
  private static final Set<String> INFRASTRUCTURE = Set.of("event_publication");

  @Test
  void migrationsAreNamedAfterTheirModuleAndCreateOnlyItsTables() throws IOException {
    Set<String> modules = modules();
    for (Path migration : migrations()) {
      Matcher name = MIGRATION_NAME.matcher(migration.getFileName().toString());
      assertThat(name.matches()).as("migration name %s", migration.getFileName()).isTrue();
      String module = name.group(1);
      for (String table : createdTables(migration)) {
        if (!INFRASTRUCTURE.contains(table)) {
          assertThat(modules).as("module of %s", migration.getFileName()).contains(module);
          assertThat(table).as("table in %s", migration.getFileName()).startsWith(module + "_");
        }
      }
    }
  }

  @Test
  void noModuleNamesAnotherModulesTable() throws IOException {
    Map<String, String> tableOwners = new HashMap<>();
    for (Path migration : migrations()) {
      for (String table : createdTables(migration)) {
        tableOwners.put(table, table.substring(0, table.indexOf('_')));
      }
    }
    assertThat(tableOwners).isNotEmpty();
    for (String module : modules()) {
      try (Stream<Path> files = Files.walk(SOURCES.resolve(module))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String source = Files.readString(file);
          tableOwners.forEach((table, owner) -> {
            if (!owner.equals(module) && !INFRASTRUCTURE.contains(table)) {
              assertThat(Pattern.compile("\\b" + table + "\\b").matcher(source).find())
                  .as("%s names %s's table %s", file, owner, table)
                  .isFalse();
            }
          });
        }
      }
    }
  }

  private static Set<String> modules() {
    return Arrays.stream(SOURCES.toFile().listFiles(File::isDirectory))
        .map(File::getName)
        .collect(Collectors.toSet());
  }

  private static List<Path> migrations() throws IOException {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      return files.sorted().toList();
    }
  }

  private static List<String> createdTables(Path migration) throws IOException {
    Matcher matcher = CREATE_TABLE.matcher(Files.readString(migration));
    return matcher.results().map(m -> m.group(1).toLowerCase()).toList();
  }
}
