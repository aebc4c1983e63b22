package org.ptorder.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ptorder.ingest.store.ParquetExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write every table of a database as Parquet (zstd).",
        "",
        "Tables with a file_id column are hive-partitioned by it (DIR/records/file_id=0/*.parquet),",
        "the others are single files (DIR/event_types.parquet). Read them back with e.g.",
        "  SELECT * FROM read_parquet('DIR/records/*/*.parquet', hive_partitioning = true)"},
    footer = {"", "Example:", "  ptorder export run.duckdb --parquet run-parquet/"})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", paramLabel = "DB", description = "The database to export.")
    Path db;

    @Option(names = "--parquet", required = true, paramLabel = "DIR", description = "Directory to create.")
    Path dir;

    @Option(names = "--force", description = "Replace DIR if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        for (ParquetExport.Exported e : ParquetExport.run(db, dir, force)) {
            io.out().printf("%-18s %12d rows%s%n", e.table(), e.rows(), e.partitioned() ? "  (by file_id)" : "");
        }
        io.out().println("-> " + dir);
        return Main.OK;
    }
}
