package org.ptorder.analyze.scheme;

/** S0: no scheme; the trace's explicit flushes and full queues are all that publishes updates. */
final class NonePolicy extends Policy {
    NonePolicy(Replay r) {
        super(r);
    }
}
