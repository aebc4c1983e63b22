package org.ptorder.cli;

import picocli.CommandLine;

/** The version from the jar manifest (the Maven project version). */
public final class Version implements CommandLine.IVersionProvider {
    public static String get() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ptorder " + get()};
    }
}
