package io.flowmate.workflow;

import java.util.List;

/**
 * The loop every module runs after the engine lost its instances (an embedded engine restarted),
 * and periodically in both engine modes: page through the business objects whose instance belongs
 * to another engine epoch, or whose start in this epoch was lost (no instance key after a grace
 * period, see {@code core.db.ProcessColumns}), take each over for this epoch (once, however many
 * nodes or threads try) and start its instance again.
 */
public final class Reconciliation {

  private static final int PAGE = 100;

  /** What a module tells the loop about its business objects. */
  public interface Owner<T> {

    /**
     * Up to {@code limit} objects that should have a live instance but whose instance is not of
     * {@code epoch}, or whose start in it was lost.
     */
    List<T> outside(String epoch, int limit);

    /** Takes the object over for the epoch; false if someone else did first. */
    boolean claim(T object, String epoch);

    /** Starts the object's instance where the object stands; false if the engine refused. */
    boolean start(T object);
  }

  private Reconciliation() {}

  /** @return how many instances were started */
  public static <T> int run(String epoch, Owner<T> owner) {
    int started = 0;
    while (true) {
      List<T> page = owner.outside(epoch, PAGE);
      int progress = 0;
      boolean refused = false;
      for (T object : page) {
        if (owner.claim(object, epoch)) {
          if (owner.start(object)) {
            progress++;
          } else {
            refused = true;
          }
        }
      }
      started += progress;
      // A refusing engine would hand the same objects back at once: try again next time.
      if (page.size() < PAGE || progress == 0 || refused) {
        return started;
      }
    }
  }
}
