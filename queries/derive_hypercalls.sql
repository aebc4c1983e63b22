-- Derives table hypercalls from the records of one file (ingest runs this after loading them;
-- it is not a named query). Decoding V2/SUBCALL payloads here, inside DuckDB, is parallel and
-- about three times faster than shipping a second table through Arrow. The Java decoder
-- (Hypercalls.decode, used by dump) must agree: HypercallsDerivationTest checks both.
-- d0: op in bits 0-19; argument i present as 01 (32-bit) or 10 (64-bit) in bits 20+2i..21+2i;
-- the present arguments follow in d1.. in order, 64-bit ones low word first.
INSERT INTO hypercalls
WITH v2 AS (
    SELECT *,
           list_value(d1, d2, d3, d4, d5, d6, NULL::UINTEGER) AS w,
           (d0 >> 20) & 3 AS w0, (d0 >> 22) & 3 AS w1, (d0 >> 24) & 3 AS w2,
           (d0 >> 26) & 3 AS w3, (d0 >> 28) & 3 AS w4, (d0 >> 30) & 3 AS w5
    FROM records
    WHERE file_id = getvariable('ptorder_file_id') AND event IN (2101261, 2105358) AND n_words >= 1
), pos AS (
    SELECT *, 1 AS p0, 1 + w0 AS p1, 1 + w0 + w1 AS p2, 1 + w0 + w1 + w2 AS p3,
           1 + w0 + w1 + w2 + w3 AS p4, 1 + w0 + w1 + w2 + w3 + w4 AS p5,
           1 + w0 + w1 + w2 + w3 + w4 + w5 AS pend
    FROM v2
), args AS (
    SELECT *,
           CASE w0 WHEN 1 THEN w[p0]::UBIGINT WHEN 2 THEN w[p0]::UBIGINT + (w[p0 + 1]::UBIGINT * 4294967296) END AS x0,
           CASE w1 WHEN 1 THEN w[p1]::UBIGINT WHEN 2 THEN w[p1]::UBIGINT + (w[p1 + 1]::UBIGINT * 4294967296) END AS x1,
           CASE w2 WHEN 1 THEN w[p2]::UBIGINT WHEN 2 THEN w[p2]::UBIGINT + (w[p2 + 1]::UBIGINT * 4294967296) END AS x2,
           CASE w3 WHEN 1 THEN w[p3]::UBIGINT WHEN 2 THEN w[p3]::UBIGINT + (w[p3 + 1]::UBIGINT * 4294967296) END AS x3,
           CASE w4 WHEN 1 THEN w[p4]::UBIGINT WHEN 2 THEN w[p4]::UBIGINT + (w[p4 + 1]::UBIGINT * 4294967296) END AS x4,
           CASE w5 WHEN 1 THEN w[p5]::UBIGINT WHEN 2 THEN w[p5]::UBIGINT + (w[p5 + 1]::UBIGINT * 4294967296) END AS x5,
           -- arguments the record is too short for, or with the reserved width 11, are dropped
           pend - 1 <= n_words - 1 AND w0 < 3 AND w1 < 3 AND w2 < 3 AND w3 < 3 AND w4 < 3 AND w5 < 3 AS complete,
           (d0 & 1048575)::INTEGER AS op_
    FROM pos
)
SELECT file_id, seq, file_offset, cpu, dom, vcpu, tsc, ts,
       op_ AS op,
       event = 2105358 AS is_subcall,
       CASE WHEN event = 2105358 THEN
           max(CASE WHEN event = 2101261 AND op_ = 13 THEN seq END)
               OVER (PARTITION BY cpu ORDER BY seq ROWS UNBOUNDED PRECEDING)
       END AS parent_seq,
       (CASE WHEN complete THEN (w0 > 0)::INT + ((w1 > 0)::INT * 2) + ((w2 > 0)::INT * 4) + ((w3 > 0)::INT * 8)
           + ((w4 > 0)::INT * 16) + ((w5 > 0)::INT * 32) ELSE 0 END)::UTINYINT AS arg_mask,
       CASE WHEN complete THEN x0 END, CASE WHEN complete THEN x1 END, CASE WHEN complete THEN x2 END,
       CASE WHEN complete THEN x3 END, CASE WHEN complete THEN x4 END, CASE WHEN complete THEN x5 END,
       CASE WHEN complete AND op_ IN (1, 13, 26) AND w1 > 0 THEN (x1 & 2147483647)::BIGINT END AS count,
       coalesce(complete AND op_ IN (1, 26) AND w1 > 0 AND (x1 & 2147483648) <> 0, false) AS preempted
FROM args;
