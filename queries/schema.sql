-- ptorder database schema.
-- Every table of a ptorder analysis file, column by column. Names are lower_snake_case and
-- stable: queries, notebooks and other tools may rely on them. Times: `tsc` columns hold raw
-- cycle counts as recorded; `ts` columns hold nanoseconds since the first record of that
-- trace file, and are NULL when the cycle rate is unknown (ingest without --cpu-hz).

-- One row per ingested input file.
CREATE TABLE trace_files (
    file_id      INTEGER PRIMARY KEY, -- 0, 1, ... in the order given on the command line
    path         VARCHAR NOT NULL,    -- the path as given
    format       VARCHAR NOT NULL,    -- 'xentrace' or 'pmt' (for 'pmt' the xentrace framing columns
                                      -- windows, wrap_records, lost_records, lost_total are 0)
    size_bytes   BIGINT NOT NULL,
    sha256       VARCHAR NOT NULL,    -- hex digest of the whole file
    cpu_hz       BIGINT,              -- cycles per second used for `ts`, NULL if not given
    time_unit    VARCHAR NOT NULL,    -- 'ns' when cpu_hz is known, else 'cycles' (use tsc)
    first_tsc    BIGINT,              -- earliest record TSC: ts = 0 there
    last_tsc     BIGINT,              -- latest record TSC
    pcpus        INTEGER NOT NULL,    -- distinct physical CPUs with at least one window;
                                      -- pmt: the cpus= directive, else highest vCPU + 1
    windows      BIGINT NOT NULL,     -- CPU-change records (xentrace's per-CPU read windows)
    records      BIGINT NOT NULL,     -- trace records, framing (CPU-change) records excluded;
                                      -- pmt: event lines (= rows in mmu_ops)
    wrap_records BIGINT NOT NULL,     -- TRC_TRACE_WRAP_BUFFER padding records among `records`
    lost_records BIGINT NOT NULL,     -- TRC_LOST_RECORDS records among `records`
    lost_total   BIGINT NOT NULL,     -- sum of their lost counts: records Xen dropped
    warnings     BIGINT NOT NULL      -- rows in ingest_warnings for this file
);

-- Every event id seen in a file, with our name for it.
CREATE TABLE event_types (
    file_id INTEGER NOT NULL,
    event   UINTEGER NOT NULL, -- the 28-bit event id
    name    VARCHAR NOT NULL,  -- our name; 'unknown (0x...)' when the id is not in our table
    class   VARCHAR NOT NULL,  -- gen, sched, dom0op, hvm, mem, pv, shadow, hw, guest, other
    known   BOOLEAN NOT NULL,  -- false for ids our table does not know
    records BIGINT NOT NULL,   -- how many records had this id
    bytes   BIGINT NOT NULL    -- their size on disk (header, TSC and data words)
);

-- Raw xentrace records in merged time order (TSC, then pCPU, then file offset).
CREATE TABLE records (
    file_id       INTEGER NOT NULL,
    seq           BIGINT NOT NULL,   -- position in the merged timeline, from 0
    file_offset   BIGINT NOT NULL,   -- byte offset of the record header in the file
    cpu           INTEGER NOT NULL,  -- physical CPU (from the enclosing window)
    tsc           BIGINT NOT NULL,   -- cycle counter; inherited from the CPU's last record if none
    tsc_inherited BOOLEAN NOT NULL,  -- true when the record carried no TSC of its own
    ts            BIGINT,            -- ns since the file's first TSC; NULL without cpu_hz
    event         UINTEGER NOT NULL, -- 28-bit event id (join event_types for the name)
    n_words       UTINYINT NOT NULL, -- extra data words, 0..7
    d0 UINTEGER, d1 UINTEGER, d2 UINTEGER, d3 UINTEGER, d4 UINTEGER, d5 UINTEGER, d6 UINTEGER,
                                     -- the data words; NULL past n_words
    dom           USMALLINT,         -- domain running on that pCPU (from scheduler records),
                                     -- 32768 = not yet known, 32767 = idle
    vcpu          USMALLINT          -- its vCPU
);

-- PV hypercalls (TRC_PV_HYPERCALL_V2, and v1 of Xen < 4.3 with the op only) and multicall entries
-- (TRC_PV_HYPERCALL_SUBCALL), decoded.
CREATE TABLE hypercalls (
    file_id     INTEGER NOT NULL,
    seq         BIGINT NOT NULL,   -- records.seq of this record
    file_offset BIGINT NOT NULL,
    cpu         INTEGER NOT NULL,
    dom         USMALLINT,         -- as in records
    vcpu        USMALLINT,
    tsc         BIGINT NOT NULL,
    ts          BIGINT,
    op          INTEGER NOT NULL,  -- hypercall number (join hypercall_ops for the name)
    is_subcall  BOOLEAN NOT NULL,  -- true for an entry of a multicall
    parent_seq  BIGINT,            -- for a subcall: seq of its multicall record on the same pCPU
    arg_mask    UTINYINT NOT NULL, -- bit i set when argument i was recorded
    a0 UBIGINT, a1 UBIGINT, a2 UBIGINT, a3 UBIGINT, a4 UBIGINT, a5 UBIGINT,
                                   -- the recorded arguments (current Xen records A1 only for
                                   -- mmu_update, multicall and mmuext_op)
    count       BIGINT,            -- requests in an mmu_update / mmuext_op, entries of a multicall
                                   -- (A1 without the continuation bit); NULL for other ops
    preempted   BOOLEAN NOT NULL   -- mmu_update / mmuext_op continuation of a preempted call
);

-- Names of hypercall numbers (xen/include/public/xen.h).
CREATE TABLE hypercall_ops (
    op   INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL
);

-- TRC_LOST_RECORDS: intervals in which a pCPU's trace buffer was full and Xen dropped records.
-- Anything inferred across [first_tsc, end_tsc] on that pCPU (who was running, pending
-- batches) is unreliable.
CREATE TABLE lost_records (
    file_id     INTEGER NOT NULL,
    seq         BIGINT NOT NULL,  -- records.seq of the lost-records record
    file_offset BIGINT NOT NULL,
    cpu         INTEGER NOT NULL,
    lost        BIGINT NOT NULL,  -- how many records were dropped
    dom         USMALLINT,        -- the vCPU current on that pCPU when the loss ended
    vcpu        USMALLINT,
    first_tsc   BIGINT NOT NULL,  -- when the first dropped record would have been written
    end_tsc     BIGINT NOT NULL,  -- when recording resumed
    first_ts    BIGINT,
    end_ts      BIGINT
);

-- Damage that ingest worked around; the rest of the file was still read.
CREATE TABLE ingest_warnings (
    file_id     INTEGER NOT NULL,
    file_offset BIGINT,           -- byte offset (binary input) or line number (text input)
    cpu         INTEGER,
    kind        VARCHAR NOT NULL, -- truncated_window, corrupt_window_header, record_past_window,
                                  -- truncated_header, tsc_backwards, unknown_event, ...
    message     VARCHAR NOT NULL
);

-- Canonical MMU operations lowered from guest traces (ftrace, .pmt, simulations), one stream per
-- input file in recorded order. The fields an op does not use are NULL. See DESIGN.md for the
-- vocabulary and reference/ordering-model.md section 3.2 for the semantics.
CREATE TABLE mmu_ops (
    file_id    INTEGER NOT NULL,
    seq        BIGINT NOT NULL,   -- recorded order within the file, from 0
    ts         BIGINT,            -- ns since the file's first event (aligned clock where known)
    tsc        BIGINT,            -- raw cycle counter, when the input has one
    cpu        INTEGER NOT NULL,  -- (v)CPU that performed the op
    thread     BIGINT,            -- thread / LWP / pid, when known
    op         VARCHAR NOT NULL,  -- enq, flush, tlb_flush, invlpg, tlb_flush_multi, invlpg_multi,
                                  -- tlb_flush_all, invlpg_all, new_baseptr, pin, unpin, map_table,
                                  -- update_va_mapping, oob_read, rmw, access, frame_free,
                                  -- frame_alloc, lock, unlock, ipi_send, ipi_recv, ipi_ack, ipi_done,
                                  -- cv_wait, cv_wake, cv_broadcast, lazy_enter, lazy_leave, migrate,
                                  -- hypercall
    pte        UBIGINT,           -- machine address of the page-table entry
    val        UBIGINT,           -- new entry value (enq, update_va_mapping, oob_read)
    old        UBIGINT,           -- value the writer believed was there
    va         UBIGINT,           -- virtual address the entry maps / the op concerns
    kind       VARCHAR,           -- enq: pt (normal), ad (preserve A/D), m2p
    n          BIGINT,            -- flush: entries flushed
    done       BIGINT,            -- flush: entries Xen reported done
    reason     VARCHAR,           -- flush: explicit, full, mmuext, unlock, lazy_leave
    mask       VARCHAR,           -- *_multi: target CPU list, e.g. '0,2-3'
    root       UBIGINT,           -- new_baseptr: root table mfn
    user_root  BOOLEAN,           -- new_baseptr: the user (not kernel) base pointer
    mfn        UBIGINT,           -- pin, unpin, map_table, frame_*: the frame
    level      INTEGER,           -- pin, map_table: page-table level (1 = L1 ... 4 = L4)
    flags      UBIGINT,           -- update_va_mapping: UVMF flags
    expect     UBIGINT,           -- rmw: expected old value
    new_val    UBIGINT,           -- rmw: value to store
    ok         BOOLEAN,           -- rmw: whether it succeeded
    frame      UBIGINT,           -- access: frame reached
    purpose    VARCHAR,           -- frame_alloc: what the frame is for
    lock       VARCHAR,           -- lock, unlock: lock name
    ipi        BIGINT,            -- ipi_*: IPI id
    dst        VARCHAR,           -- ipi_send: destination CPU list
    cv         VARCHAR,           -- cv_*: condition variable name
    to_cpu     INTEGER,           -- migrate: destination CPU
    hc_op      INTEGER,           -- hypercall: Xen hypercall number
    count      BIGINT,            -- hypercall: requests carried
    dur        BIGINT,            -- hypercall: duration in ns, Xen-side evidence
    src_line   BIGINT,            -- line in a text input
    src_offset BIGINT,            -- byte offset in a binary input
    src_loc    VARCHAR            -- source-location tag (at=) from the trace, e.g. 'pmap.c:1234'
);

-- Hypercalls with their names.
CREATE VIEW hypercalls_named AS
    SELECT h.*, coalesce(o.name, 'op_' || h.op) AS name
    FROM hypercalls h LEFT JOIN hypercall_ops o USING (op);

-- PTWR emulations: a guest wrote straight into one of its read-only page-table pages and Xen
-- emulated the write (64-bit guests: pte, addr, rip as 64-bit words; 32-bit PAE: addr, eip 32-bit).
CREATE VIEW ptwr_emulations AS
    SELECT file_id, seq, file_offset, cpu, dom, vcpu, tsc, ts,
           d0::UBIGINT + d1::UBIGINT * 4294967296 AS new_pte,
           CASE WHEN event = 2101515 THEN d2::UBIGINT + d3::UBIGINT * 4294967296 ELSE d2::UBIGINT END AS addr,
           CASE WHEN event = 2101515 THEN d4::UBIGINT + d5::UBIGINT * 4294967296 ELSE d3::UBIGINT END AS rip,
           event = 2101515 AS guest64
    FROM records
    WHERE event IN (2101515, 2101260) AND n_words >= 4; -- 0x0020110b (64-bit), 0x0020100c (PAE)

-- Page faults Xen injected into PV guests (64-bit: rip, addr 64-bit, error code; 32-bit: 32-bit).
CREATE VIEW pv_page_faults AS
    SELECT file_id, seq, file_offset, cpu, dom, vcpu, tsc, ts,
           CASE WHEN event = 2101508 THEN d0::UBIGINT + d1::UBIGINT * 4294967296 ELSE d0::UBIGINT END AS rip,
           CASE WHEN event = 2101508 THEN d2::UBIGINT + d3::UBIGINT * 4294967296 ELSE d1::UBIGINT END AS addr,
           CASE WHEN event = 2101508 THEN d4 ELSE d2 END AS error_code
    FROM records
    WHERE event IN (2101508, 2101252) AND n_words >= 3; -- 0x00201104 (64-bit), 0x00201004 (32-bit)

-- Records with their event names.
CREATE VIEW records_named AS
    SELECT r.*, e.name, e.class
    FROM records r JOIN event_types e USING (file_id, event);

-- ---------------------------------------------------------------------------------------------
-- Guest ftrace input (Linux xen:* and tlb:* tracepoints as kernel trace text, trace-cmd report or
-- perf script; README-ftrace.md). For ftrace files, trace_files has format 'ftrace', records =
-- event lines, pcpus = guest CPUs seen, windows/wrap_records/lost_records = 0, lost_total =
-- events the ring buffer dropped or overwrote (from [LOST n EVENTS] and the header), and cpu_hz,
-- first_tsc, last_tsc set only for cycle clocks (x86-tsc): NULL for seconds-based clocks.

-- One row per event line, as printed.
CREATE TABLE guest_events (
    file_id  INTEGER NOT NULL,
    line     BIGINT NOT NULL,   -- line number in the (decompressed) text, from 1
    cpu      INTEGER NOT NULL,  -- guest (v)CPU
    task     VARCHAR,           -- comm; NULL when printed '<...>' (unknown to the tracer)
    pid      INTEGER NOT NULL,
    flags    VARCHAR,           -- irqs-off/need-resched/hardirq/preempt/migrate flags, e.g. 'd..2.';
                                -- NULL when the layout prints none (trace-cmd report, perf script)
    ts       BIGINT,            -- ns since the file's first event; NULL for a cycle clock without
                                -- --cpu-hz
    tsc      BIGINT,            -- raw cycles for a cycle clock (x86-tsc: the TSC xentrace uses), else NULL
    raw_time VARCHAR,           -- the timestamp as printed ('15.774310' or '71568784182')
    name     VARCHAR NOT NULL,  -- event name as printed, without a 'system:' prefix
    fields   VARCHAR NOT NULL   -- the text after 'name: ', leading blanks removed
);

-- Which virtual range each L1 page-table page maps, as learned from ptep_modify_prot_* events
-- (they print both the entry pointer and the address): the map_table rows of mmu_ops. Join an
-- enq's pte (pte >> 12 = mfn) or an invlpg's va against it. Only where pointers are real
-- (no_hash_pointers, or trace-cmd, which reads the raw records).
CREATE VIEW pte_va_map AS
    SELECT file_id, seq, src_line, cpu, mfn, level, va AS va_start,
           va + (CAST(1 AS UBIGINT) << (12 + 9 * level)) AS va_end
    FROM mmu_ops WHERE op = 'map_table';

-- Views over mmu_ops for the guest-op queries (queries/*.sql). A CPU's queue holds the entries it
-- enqueued since its last flush (reference/ordering-model.md section 3.2: a flush publishes the
-- whole queue of its CPU).

-- '0,2-3' -> [0, 2, 3]: the CPU lists of mmu_ops.mask and mmu_ops.dst as a list.
CREATE MACRO cpu_list(m) AS
    flatten(list_transform(string_split(m, ','), lambda x: CASE WHEN contains(x, '-')
        THEN range(split_part(x, '-', 1)::BIGINT, split_part(x, '-', 2)::BIGINT + 1)
        ELSE [x::BIGINT] END));

-- Each enq and flush with the depth of its CPU's queue right after it (a flush leaves 0).
CREATE VIEW queue_depth AS
    SELECT file_id, seq, ts, cpu, op,
           CASE WHEN op = 'flush' THEN 0
                ELSE sum((op = 'enq')::INT) OVER (PARTITION BY file_id, cpu, gen ORDER BY seq ROWS UNBOUNDED PRECEDING)
           END AS depth
    FROM (SELECT file_id, seq, ts, cpu, op,
                 -- flushes so far on this CPU: the queue's generation (sum, not count(*) FILTER:
                 -- DuckDB 2.0 takes 80 s instead of 1.6 s for the latter on run-b)
                 sum((op = 'flush')::INT) OVER (PARTITION BY file_id, cpu ORDER BY seq ROWS UNBOUNDED PRECEDING) AS gen
          FROM mmu_ops WHERE op IN ('enq', 'flush'));

-- Each enq with the flush that published it: the next flush on the same CPU in recorded order.
-- flush_seq is NULL when the entry was still queued at the end of the trace. An entry orphaned
-- by a migration (V8) is still counted as published by its CPU's next flush.
CREATE VIEW enq_flushes AS
    SELECT e.file_id, e.seq, e.ts, e.cpu, e.thread, e.pte, e.val, e.old, e.va, e.kind, e.src_line, e.src_loc,
           f.seq AS flush_seq, f.ts AS flush_ts, f.n AS flush_n, f.reason AS flush_reason,
           f.ts - e.ts AS latency_ns  -- NULL without times (a cycle clock ingested without --cpu-hz)
    FROM (SELECT * FROM mmu_ops WHERE op = 'enq') e
    ASOF LEFT JOIN (SELECT file_id, cpu, seq, ts, n, reason FROM mmu_ops WHERE op = 'flush') f
        ON e.file_id = f.file_id AND e.cpu = f.cpu AND f.seq > e.seq;

-- Read-ops (TLB invalidations and base switches, ordering-model section 3.5 'covers') with the CPUs
-- they reach: targets = the mask's CPUs (*_multi), every CPU of the trace (*_all), else the
-- issuing CPU; remote_targets = those other than the issuing CPU.
CREATE VIEW read_ops AS
    SELECT o.file_id, o.seq, o.ts, o.cpu, o.op, o.va, o.mask, o.root, o.src_line, o.src_loc,
           CASE WHEN o.op IN ('tlb_flush_all', 'invlpg_all') THEN range(t.pcpus::BIGINT)
                WHEN o.mask IS NOT NULL THEN cpu_list(o.mask)
                ELSE [o.cpu::BIGINT] END AS targets,
           len(list_filter(targets, lambda c: c <> o.cpu)) AS remote_targets
    FROM mmu_ops o JOIN trace_files t USING (file_id)
    WHERE o.op IN ('tlb_flush', 'invlpg', 'tlb_flush_multi', 'invlpg_multi', 'tlb_flush_all', 'invlpg_all',
                   'new_baseptr');

-- Each read-op with the other CPUs whose queue was not empty at that moment (remote_pending): the
-- flush IPIs a scoreboard scheme (Sa') would send before it, where Sa sends one to each other CPU.
CREATE VIEW read_op_fanout AS
    WITH cpus AS (SELECT file_id, unnest(range(pcpus::BIGINT)) AS cpu FROM trace_files)
    SELECT r.file_id, r.seq, any_value(r.ts) AS ts, any_value(r.cpu) AS cpu, any_value(r.op) AS op,
           any_value(r.remote_targets) AS remote_targets,
           count(*) FILTER (WHERE c.cpu <> r.cpu AND d.depth > 0) AS remote_pending
    FROM read_ops r
    JOIN cpus c ON c.file_id = r.file_id
    ASOF LEFT JOIN queue_depth d ON d.file_id = r.file_id AND d.cpu = c.cpu AND d.seq < r.seq
    GROUP BY r.file_id, r.seq;

-- One timeline: how each guest ftrace file was laid onto the TSC axis of a xentrace file of the
-- same run (written by ingest when both kinds of input are given).
CREATE TABLE clock_alignment (
    guest_file_id     INTEGER NOT NULL,
    xen_file_id       INTEGER NOT NULL,
    dom               INTEGER,          -- the guest's domain in the xentrace file
    method            VARCHAR NOT NULL, -- 'tsc' (ftrace used x86-tsc: shared clock), 'fitted', 'none'
    slope             DOUBLE,           -- xen tsc = slope * guest time + offset_cycles (guest time:
    offset_cycles     DOUBLE,           --   cycles for 'tsc', ns since the guest trace start for 'fitted')
    guest_calls       BIGINT,           -- hypercalls the guest trace shows it making
    matched           BIGINT,           -- of those, matched to a Xen record of the same op
    match_rate        DOUBLE,
    count_agrees      BIGINT,           -- matched with the same request count too
    median_gap_cycles BIGINT,           -- Xen record time minus guest call time, median
    note              VARCHAR           -- why not aligned, or the fitted clock drift
);

-- Each guest hypercall (a flush of a multicall batch, or a direct PTE write) and the xentrace
-- hypercall record matched to it. Join mmu_ops on (file_id, src_line) = (guest_file_id,
-- guest_line) to get the guest's flush ops with Xen-side timing.
CREATE TABLE flush_matches (
    guest_file_id  INTEGER NOT NULL,
    guest_line     BIGINT NOT NULL,   -- line of the guest event (xen_mc_flush or xen_mmu_set_pte)
    cpu            INTEGER NOT NULL,  -- guest vCPU = the domain's vCPU in xentrace
    expected_op    INTEGER NOT NULL,  -- hypercall the guest issued: 1 mmu_update, 13 multicall, ...
    expected_count BIGINT,            -- its request count where the guest trace shows it
    guest_xen_tsc  BIGINT NOT NULL,   -- the guest call's time mapped onto the Xen TSC axis
    xen_file_id    INTEGER NOT NULL,
    xen_seq        BIGINT,            -- records.seq / hypercalls.seq of the match; NULL if none
    xen_tsc        BIGINT,
    xen_count      BIGINT,
    gap_cycles     BIGINT,            -- xen_tsc - guest_xen_tsc
    dur_cycles     BIGINT             -- until the next record on that pCPU: an upper bound on the
                                      -- hypercall's duration (Xen records no exit for PV calls)
);

-- ptorder check (README-check.md): the ordering-model checker's results. 'ptorder check DB'
-- replaces the rows of every file it checks; 'ptorder check FILE' stores nothing.

-- One row per checked trace file and run.
CREATE TABLE check_runs (
    run_id      INTEGER NOT NULL,   -- 1, 2, ... over the database's life; one per file per invocation
    file_id     INTEGER NOT NULL,   -- trace_files.file_id (mmu_ops.file_id) checked
    started     TIMESTAMP NOT NULL, -- when the run started (UTC)
    version     VARCHAR NOT NULL,   -- ptorder version
    options     VARCHAR NOT NULL,   -- options that change findings, e.g. '--lock-map held'; '' for none
    ops         BIGINT NOT NULL,    -- mmu_ops rows checked
    cpus        INTEGER NOT NULL,   -- CPUs the model had (declared, else highest seen + 1)
    seconds     DOUBLE NOT NULL,    -- wall time of the checking pass
    observed    BIGINT NOT NULL,    -- findings labelled OBSERVED
    latent      BIGINT NOT NULL,    -- ... LATENT
    benign_race BIGINT NOT NULL     -- ... BENIGN-RACE
);

-- One row per finding: a violation of ordering-model §3.5 with its evidence.
CREATE TABLE violations (
    run_id          INTEGER NOT NULL, -- check_runs.run_id
    file_id         INTEGER NOT NULL,
    class           VARCHAR NOT NULL, -- V1, V2, V2-unsync, V2-stale-RMW, V3, V3-local, V4-local, V4-remote,
                                      -- V5-pending, V5-live-root, V5-pwc, V6, V7, V8, V9
    label           VARCHAR NOT NULL, -- OBSERVED (the trace shows the bad outcome), LATENT (happens-before
                                      -- allows it, the run did not show it), BENIGN-RACE (the trace shows
                                      -- the stale use, but nothing ordered the two events)
    coverage        VARCHAR NOT NULL, -- how the reader is known to concern the writer's PTE: pte, va,
                                      -- map_table, learned, walk, full, root, table, value, lock, thread,
                                      -- group, or unknown (could not be decided)
    pte             UBIGINT,          -- machine address of the PTE (NULL: not known)
    va              UBIGINT,          -- the VA concerned (the entry's, else the reader's)
    old_val         UBIGINT,          -- the value the update replaces, as far as known
    new_val         UBIGINT,          -- the update's value
    frame           UBIGINT,          -- V5, V6: the page unpinned/freed/reused; V5-live-root: the root
    writer_seq      BIGINT NOT NULL,  -- the writer: the enqueue (or rmw; V5-live-root: the base switch
                                      -- that loaded the root; V9: the group's first enqueue)
    writer_cpu      INTEGER NOT NULL,
    writer_ts       BIGINT,
    writer_line     BIGINT,           -- mmu_ops.src_line of the writer
    writer_offset   BIGINT,           -- mmu_ops.src_offset of the writer
    writer_loc      VARCHAR,          -- mmu_ops.src_loc of the writer
    writer_op       VARCHAR NOT NULL, -- the writer, e.g. 'enq pte=0x1a2b3ff8 val=0x0 va=0x7f7ff000'
    reader_seq      BIGINT NOT NULL,  -- the reader: the read-op, shootdown, out-of-band read, rmw, unpin,
                                      -- free or reuse, second writer (V2), unlock (V7), migrate (V8),
                                      -- auto-flush (V9)
    reader_cpu      INTEGER NOT NULL,
    reader_ts       BIGINT,
    reader_line     BIGINT,
    reader_offset   BIGINT,
    reader_loc      VARCHAR,
    reader_op       VARCHAR NOT NULL,
    evidence_seq    BIGINT,           -- the event that shows the bad outcome (OBSERVED, BENIGN-RACE)
    evidence        VARCHAR,          -- what it shows
    hb_path         VARCHAR,          -- the happens-before path writer -> reader that created the
                                      -- expectation (NULL: none; a race, or V5-live-root)
    missing         VARCHAR,          -- the publication that was missing (which flush, invalidation or
                                      -- switch should have come where)
    missing_seq     BIGINT,           -- the event before which it was missing
    interleaving    VARCHAR NOT NULL, -- a minimal interleaving showing the bad outcome, one step per line
    root_cause      VARCHAR,          -- e.g. 'V8: the entry was orphaned by migrate ...'
    note            VARCHAR           -- anything else, e.g. why there is no happens-before relation
);

-- What a run could not decide (every class the trace could not decide, and why).
CREATE TABLE check_undecided (
    run_id  INTEGER NOT NULL,
    file_id INTEGER NOT NULL,
    classes VARCHAR NOT NULL, -- the classes concerned, e.g. 'V2, V2-unsync'
    reason  VARCHAR NOT NULL,
    count   BIGINT            -- how many cases, where countable
);

-- Findings numbered for drilling in ('ptorder sql DB -q finding_detail -p finding=N'), with the
-- trace's path and the options of the check run that found them. The number is this view's
-- order (run, file, reader, writer, class); a new check run renumbers.
CREATE VIEW findings AS
    SELECT row_number() OVER (ORDER BY v.run_id, v.file_id, v.reader_seq, v.writer_seq, v.class) AS finding,
           t.path, r.options AS check_options, v.*
    FROM violations v
    JOIN trace_files t ON t.file_id = v.file_id
    JOIN check_runs r ON r.run_id = v.run_id AND r.file_id = v.file_id;

-- ptorder score (README-score.md): the trace's logical operations replayed under each candidate
-- flush scheme of ordering-model §4, checked by the checker and costed with the §5 model. Long
-- format: one row per (scheme, param_set, metric). 'ptorder score DB' replaces the table's rows with
-- the scores of one guest trace (the database's only one, or --file-id N); 'ptorder score FILE'
-- stores nothing.
CREATE TABLE scheme_scores (
    scheme    VARCHAR, -- exactly S0, SN, S1, Sa, Sa', Sb, Ssh, SL
    param_set VARCHAR, -- 'default' (the cost file's values), 'calibrated' (hypercall
                       -- costs fitted by --calibrate), or one sweep point such as
                       -- 'ipi_ns=2000'
    metric    VARCHAR, -- 'violations.V1' ... (one per checker class, spelled as in
                       -- violations.class, all labels counted), 'hypercalls.mmu_update',
                       -- 'hypercalls.mmuext_op', 'hypercalls.multicall',
                       -- 'hypercalls.event_channel_op', 'hypercalls.total',
                       -- 'mmu_update_entries', 'entries_per_hypercall', 'ipis_sent',
                       -- 'ipis_handled', 'initiator_waits', 'initiator_wait_ns.total'
                       -- (.p50, .p99, .max), 'lock_acquisitions', 'lock_contended',
                       -- 'lock_contended_wait_ns', 'shared_line_updates', 'condvar_waits',
                       -- 'condvar_wakeups', 'extra_full_flushes', 'completion_delta_ns.cpuN'
                       -- (.total, .max), 'replayed_ops' (README-score.md defines each)
    value     DOUBLE,  -- the metric at this param_set
    low       DOUBLE,  -- 'default'/'calibrated' rows: least value over every --sweep point
    high      DOUBLE,  --   (and this set); NULL when nothing was swept
    unit      VARCHAR NOT NULL  -- 'count', 'ns', 'entries/hypercall', 'fraction'
);
