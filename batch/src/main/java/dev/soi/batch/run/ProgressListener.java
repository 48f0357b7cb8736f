package dev.soi.batch.run;

import java.time.Duration;

/**
 * Hears of every unit of work a long step finishes ({@link UnitsOfWork}), on the step's thread: {@code ./soi compact} and
 * {@code ./soi bootstrap} print each as it comes. A listener must be quick and must not throw; a listener that fails is
 * logged and ignored, since the work it reports on is already done.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = update -> {};

    void progressed(Update update);

    /**
     * One unit finished, or the step stopping at the deadline ({@code stopped}: no unit was done then).
     *
     * @param step            the step's name ({@code compact-partitions})
     * @param unit            what was done ({@code AE/2026-11-23}), or null when stopping
     * @param noun            what a unit is, plural ({@code partitions})
     * @param done            units done so far in this execution
     * @param total           units this execution set out to do; 0 when not known in advance
     * @param elapsed         since the step's first unit started
     * @param estimatedLeft   the rest at the pace so far; null when the total is not known
     * @param invocationLeft  the invocation's time left before its deadline; null with no deadline
     */
    record Update(String step, String unit, String noun, int done, int total, Duration elapsed, Duration estimatedLeft,
                  Duration invocationLeft, boolean stopped) {

        /** The update in words: what happened, how far, and how long the rest may take. */
        public String line() {
            StringBuilder out = new StringBuilder(step).append(": ");
            if (stopped) {
                out.append("stopping at the invocation's deadline with ").append(total > 0 ? (total - done) + " of " + total : "the rest of the")
                        .append(' ').append(noun).append(" left, for the next run to continue");
            } else {
                out.append(unit).append(" done, ").append(done).append(total > 0 ? " of " + total : "").append(' ').append(noun)
                        .append(" in ").append(words(elapsed));
                if (estimatedLeft != null) {
                    out.append(", about ").append(words(estimatedLeft)).append(" left");
                }
            }
            if (invocationLeft != null) {
                out.append(" (the invocation has ").append(words(invocationLeft)).append(" left)");
            }
            return out.toString();
        }

        private static String words(Duration d) {
            long seconds = Math.max(0, d.toSeconds());
            return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
        }
    }
}
