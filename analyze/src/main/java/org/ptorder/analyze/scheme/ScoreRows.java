package org.ptorder.analyze.scheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.Finding;
import org.ptorder.analyze.check.ViolationClass;

/**
 * The scores of one file as {@code scheme_scores} rows: per parameter set and scheme, the
 * violations by class (measured once: the replay's order of synchronisation does not depend on the
 * costs) and the cost metrics; the checked sets get low/high over the sweep points.
 */
public final class ScoreRows {
    private ScoreRows() { }

    public record Row(int fileId, String scheme, String paramSet, String metric, double value, Double low,
                      Double high, String unit) { }

    public static List<Row> rows(ScoreRun.Outcome o, ScoreRun.FileScore f) {
        List<String> sets = new ArrayList<>(o.options().sets().keySet());
        String first = sets.get(0);
        List<String> sweeps = o.options().sweepSets();
        List<Scheme> schemes = o.options().schemes();
        // values[set][scheme] = metric -> value
        Map<String, List<LinkedHashMap<String, double[]>>> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (String set : sets) {
            List<CostVector> costs = f.costs(set, first);
            List<LinkedHashMap<String, double[]>> perScheme = new ArrayList<>();
            for (int i = 0; i < schemes.size(); i++) {
                LinkedHashMap<String, double[]> m = new LinkedHashMap<>();
                CheckResult cr = f.checked().get(i).check();
                for (ViolationClass vc : ViolationClass.values()) {
                    m.put("violations." + vc.text(), new double[] {count(cr, vc)});
                    units.put("violations." + vc.text(), "count");
                }
                for (CostVector.Metric x : costs.get(i).metrics()) {
                    m.put(x.name(), new double[] {x.value()});
                    units.put(x.name(), x.unit());
                }
                perScheme.add(m);
            }
            values.put(set, perScheme);
        }
        List<Row> rows = new ArrayList<>();
        for (String set : sets) {
            boolean ranged = !sweeps.isEmpty() && !sweeps.contains(set);
            for (int i = 0; i < schemes.size(); i++) {
                for (Map.Entry<String, double[]> e : values.get(set).get(i).entrySet()) {
                    double v = e.getValue()[0];
                    Double lo = null;
                    Double hi = null;
                    if (ranged) {
                        lo = v;
                        hi = v;
                        for (String s : sweeps) {
                            double[] w = values.get(s).get(i).get(e.getKey());
                            if (w != null) {
                                lo = Math.min(lo, w[0]);
                                hi = Math.max(hi, w[0]);
                            }
                        }
                    }
                    rows.add(new Row(f.fileId(), schemes.get(i).text(), set, e.getKey(), v, lo, hi,
                        units.get(e.getKey())));
                }
            }
        }
        return rows;
    }

    static long count(CheckResult r, ViolationClass vc) {
        if (r == null) {
            return 0;
        }
        long n = 0;
        for (Finding x : r.findings()) {
            if (x.cls() == vc) {
                n++;
            }
        }
        return n;
    }
}
