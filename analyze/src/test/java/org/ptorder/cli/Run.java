package org.ptorder.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs one ptorder command line in-process and keeps what it printed. */
record Run(int exit, String out, String err) {
    static Run of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = Main.commandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return new Run(code, out.toString(), err.toString());
    }
}
