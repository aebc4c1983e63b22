package org.ptorder.analyze.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finding's minimal interleaving split into per-CPU steps for the lane diagram. The checker
 * writes each step as {@code cpuN: what happens}; a step without that prefix (an outcome that
 * concerns no one CPU) gets {@code cpu = -1} and is drawn across all lanes.
 */
record Interleaving(List<Step> steps, List<Integer> cpus) {
    record Step(int cpu, String text) {
        /** The op at the start of the step ("enq", "tlb_flush", ...): the label inside the diagram. */
        String op() {
            String[] words = text.split(" ", 3);
            // "a later flush applies ...": name the flush, not the article
            String w = words.length > 1 && List.of("a", "an", "the").contains(words[0]) ? words[1] : words[0];
            return w.length() > 14 ? w.substring(0, 13) + "…" : w;
        }
    }

    private static final Pattern CPU = Pattern.compile("^cpu(\\d{1,6}):\\s*(.*)$", Pattern.DOTALL);

    static Interleaving of(List<String> lines) {
        List<Step> steps = new ArrayList<>();
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String l : lines) {
            Matcher m = CPU.matcher(l);
            if (m.matches()) {
                int cpu = Integer.parseInt(m.group(1));
                cpus.add(cpu);
                steps.add(new Step(cpu, m.group(2)));
            } else {
                steps.add(new Step(-1, l));
            }
        }
        return new Interleaving(steps, List.copyOf(cpus));
    }
}
