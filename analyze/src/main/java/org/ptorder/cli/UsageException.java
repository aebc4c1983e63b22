package org.ptorder.cli;

/** A command was given arguments it cannot work with; exit code 2 with this message. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
