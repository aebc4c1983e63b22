package org.ptorder.analyze.report;

import java.nio.file.Path;
import java.util.Locale;

/** The three report formats; chosen by the output's extension unless given. */
public enum ReportFormat {
    html, markdown, json;

    /** By extension: .html/.htm, .md/.markdown, .json; null when the name says nothing. */
    public static ReportFormat byExtension(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".html") || n.endsWith(".htm")) {
            return html;
        }
        if (n.endsWith(".md") || n.endsWith(".markdown")) {
            return markdown;
        }
        return n.endsWith(".json") ? json : null;
    }

    public String render(ReportData d) {
        return switch (this) {
            case html -> HtmlReport.render(d);
            case markdown -> MarkdownReport.render(d);
            case json -> JsonReport.render(d);
        };
    }

    public String extension() {
        return this == markdown ? "md" : name();
    }
}
