package org.ptorder.analyze.check;

/** How sure a finding is (ordering-model §3.4). */
public enum Label {
    /** The trace shows the bad outcome (a stale value used or read, a reversed apply order). */
    OBSERVED("OBSERVED"),
    /** Happens-before allows the bad outcome; the recorded run does not show it. */
    LATENT("LATENT"),
    /** The trace shows the stale use, but no happens-before relation promised anything. */
    BENIGN_RACE("BENIGN-RACE");

    private final String text;

    Label(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
