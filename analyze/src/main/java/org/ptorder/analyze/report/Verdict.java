package org.ptorder.analyze.report;

/**
 * The one line at the top of a report. {@code level}: "observed" (the trace shows broken
 * ordering), "latent" (the ordering allows a bad outcome the run did not show), "benign-race"
 * (only unordered races), "clean" (checked, no finding) or "not-checked" (no check results).
 */
public record Verdict(String level, String headline, String detail) {

    public static Verdict of(ReportData d) {
        long observed = 0, latent = 0, benign = 0;
        for (ReportData.ClassCount c : d.counts()) {
            switch (c.label()) {
                case "OBSERVED" -> observed += c.count();
                case "LATENT" -> latent += c.count();
                default -> benign += c.count();
            }
        }
        long undecided = d.undecided().size();
        String scored = d.scores() == null ? "schemes not scored" : "schemes scored (" + d.scores().paramSet() + ")";
        String tail = (undecided > 0 ? undecided + " undecided item" + (undecided == 1 ? "" : "s") + " (see below); "
            : "") + scored + ".";
        if (d.checks().isEmpty()) {
            return new Verdict("not-checked", "Not checked",
                "The database holds no check results: run 'ptorder check' (or 'ptorder analyze'); " + scored + ".");
        }
        long ops = d.checks().stream().mapToLong(ReportData.CheckRunInfo::ops).sum();
        String counts = Fmt.count(observed) + " observed, " + Fmt.count(latent) + " latent, " + Fmt.count(benign)
            + " benign-race finding" + (observed + latent + benign == 1 ? "" : "s") + " in " + Fmt.count(ops)
            + " MMU ops of " + d.checks().size()
            + " trace" + (d.checks().size() == 1 ? "" : "s") + "; ";
        if (observed > 0) {
            return new Verdict("observed", "Broken ordering observed", counts + tail);
        }
        if (latent > 0) {
            return new Verdict("latent", "Latent ordering bugs", counts + tail);
        }
        if (benign > 0) {
            return new Verdict("benign-race", "Unordered races only", counts + tail);
        }
        return new Verdict("clean", "No ordering violation found", counts + tail);
    }
}
