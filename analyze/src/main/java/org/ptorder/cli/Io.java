package org.ptorder.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Where a command prints: the streams its command line was given, so tests can capture them.
 * Mixed into each command with {@code @Mixin Io io}.
 */
@CommandLine.Command
final class Io {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
