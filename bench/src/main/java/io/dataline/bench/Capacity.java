package io.dataline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The capacity model (issue 23), from unit costs measured in one run: per record (storage, ingest, validation, a full
 * read) as a line through the small and middle sizes (a fixed part and a part per record), commit latency as {@code a + b·log10(records)} through the small and middle sizes (a
 * commit rewrites one leaf per change and one path per tree level), per commit the bytes, WAL and chunk I/O of a commit
 * of changes, and per pipeline run what the broker, the databases and the services spent. Projected to 10M, 100M and
 * 1B records at 10, 100 and 1,000 commits per minute to one dataset, and checked against the measured larger size.
 */
final class Capacity {

    static final long[] RECORDS = {10_000_000L, 100_000_000L, 1_000_000_000L};
    static final int[] COMMITS_PER_MINUTE = {10, 100, 1000};
    private static final double GIB = 1024.0 * 1024 * 1024;

    private final Scale.Unit small;
    private final Scale.Unit middle;
    private final Scale.PipelineRun pipeline;
    private final int cores;
    private final double slope;
    private final double intercept;
    private final Line storage;
    private final Line ingest;
    private final Line validation;
    private final Line validationCpu;
    private final Line export;

    /** {@code fixed + perRecord · records}. */
    record Line(double fixed, double perRecord) {
        /**
         * The line through two measurements; when the larger size measured no more than the smaller (noise, or the
         * smaller still warming up) it is proportional to the larger one instead.
         */
        static Line through(double n0, double y0, double n1, double y1) {
            double perRecord = (y1 - y0) / (n1 - n0);
            return perRecord > 0 ? new Line(y1 - perRecord * n1, perRecord) : new Line(0, y1 / n1);
        }

        double at(long records) {
            return fixed + perRecord * records;
        }
    }

    private Line line(java.util.function.ToDoubleFunction<Scale.Unit> figure) {
        return Line.through(small.records(), figure.applyAsDouble(small), middle.records(), figure.applyAsDouble(middle));
    }

    Capacity(Scale.Unit small, Scale.Unit middle, Scale.PipelineRun pipeline, int cores) {
        this.small = small;
        this.middle = middle;
        this.pipeline = pipeline;
        this.cores = cores;
        double run = Math.log10(middle.records()) - Math.log10(small.records());
        // noise can make the smaller size the slower one: then the model is flat at the middle size's latency
        this.slope = Math.max(0, (middle.commitMillis() - small.commitMillis()) / run);
        this.intercept = middle.commitMillis() - slope * Math.log10(middle.records());
        this.storage = line(u -> u.ingest().datasetDatabaseBytes());
        this.ingest = line(u -> u.ingest().seconds());
        this.validation = line(Scale.Unit::validationSeconds);
        this.validationCpu = line(Scale.Unit::validationCpu);
        this.export = line(Scale.Unit::exportSeconds);
    }

    double storageBytes(long records) {
        return storage.at(records);
    }

    double ingestSeconds(long records) {
        return ingest.at(records);
    }

    double commitMillis(long records) {
        return intercept + slope * Math.log10(records);
    }

    double validationSeconds(long records) {
        return validation.at(records);
    }

    double validationCpu(long records) {
        return validationCpu.at(records);
    }

    double exportSeconds(long records) {
        return export.at(records);
    }

    private double perRecord(double figure) {
        return figure / middle.records();
    }

    void report(Report report, Scale.Unit check) {
        inputs(report);
        Report.Table projection = report.table("projection", "projection for one dataset (1,000 changes per commit)", "records", "records",
                "storage GiB", "storageGiB", "ingest min", "ingestMinutes", "commit ms", "commitMillis", "validation s/commit", "validationSeconds",
                "validation CPU s/commit", "validationCpuSeconds", "full read s", "exportSeconds");
        for (long records : RECORDS) {
            projection.row().put("records", records).put("storageGiB", storageBytes(records) / GIB).put("ingestMinutes", ingestSeconds(records) / 60)
                    .put("commitMillis", commitMillis(records)).put("validationSeconds", validationSeconds(records))
                    .put("validationCpuSeconds", validationCpu(records)).put("exportSeconds", exportSeconds(records));
        }
        Report.Table load = report.table("load", "load at a commit rate to one dataset (busy: the share of one serial worker's time; "
                + "over 1 a backlog grows)", "records", "records", "commits/min", "perMinute", "validation busy", "validationBusy", "full reads busy",
                "exportBusy", "commit lock busy", "commitBusy", "validation cores", "validationCores", "WAL MB/s", "walMegabytesPerSecond",
                "growth GiB/day", "growthGiBPerDay", "broker KB/s", "brokerKilobytesPerSecond", "first bottleneck", "bottleneck");
        double walPerCommit = middle.perCommit(Costs.Sample::walBytes) + pipeline.per(pipeline.total().walBytes());
        for (long records : RECORDS) {
            for (int rate : COMMITS_PER_MINUTE) {
                double perSecond = rate / 60.0;
                double validationBusy = perSecond * validationSeconds(records);
                double exportBusy = perSecond * exportSeconds(records);
                double commitBusy = perSecond * commitMillis(records) / 1000;
                Map<String, Double> busy = new LinkedHashMap<>();
                busy.put("validation (reads the version and its parent whole)", validationBusy);
                busy.put("training's full read of the version", exportBusy);
                busy.put("the dataset's commit lock", commitBusy);
                busy.put("this machine's cores (validation CPU)", perSecond * validationCpu(records) / cores);
                Map.Entry<String, Double> worst = busy.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                load.row().put("records", records).put("perMinute", rate).put("validationBusy", validationBusy).put("exportBusy", exportBusy)
                        .put("commitBusy", commitBusy)
                        .put("validationCores", perSecond * validationCpu(records)).put("walMegabytesPerSecond", perSecond * walPerCommit / 1e6)
                        .put("growthGiBPerDay", rate * 1440.0 * middle.perCommit(Costs.Sample::datasetDatabaseBytes) / GIB)
                        .put("brokerKilobytesPerSecond", perSecond * pipeline.per(pipeline.total().brokerBytes()) / 1e3)
                        .put("bottleneck", String.format(Locale.ROOT, "%s (%.2fx)", worst.getKey(), worst.getValue()));
            }
        }
        check(report, check);
        report.note("inputs: per record, a line (fixed + per record, in the JSON under lines) through the " + String.format(Locale.ROOT, "%,d",
                small.records()) + " and " + String.format(Locale.ROOT, "%,d", middle.records()) + "-record datasets; commit latency "
                + "a + b·log10(records) through the same two; per commit from the larger; per pipeline run from " + pipeline.runs()
                + " runs of the tiny spec (200 records, 20 changed per commit)");
        report.note("a dataset's events share one partition (key = dataset), so one dataset's validations, trainings and commits are "
                + "serial whatever the replicas; replicas and partitions scale the number of datasets, not one dataset's rate");
    }

    private void inputs(Report report) {
        Report.Table table = report.table("inputs", "unit costs measured in this run", "what", "what", "value", "value", "unit", "unit");
        add(table, "database bytes per record (dataset-service, after a one-shot ingest)", storage.perRecord(), "bytes");
        add(table, "chunk bytes per record (stored, after compression)", perRecord(middle.ingest().chunkBytes()), "bytes");
        add(table, "ingest time per record (one-shot commit)", ingest.perRecord() * 1e6, "µs");
        add(table, "ingest CPU per record (dataset-service)", perRecord(middle.ingest().cpu("dataset-service")) * 1e6, "µs");
        add(table, "first validation per record (the version alone)", perRecord(middle.firstValidation().seconds()) * 1e6, "µs");
        add(table, "validation of a change, per record of the version", validation.perRecord() * 1e6, "µs");
        add(table, "validation CPU of a change, per record (validation-service + dataset-service)", validationCpu.perRecord() * 1e6, "µs");
        add(table, "full read (export) per record", export.perRecord() * 1e6, "µs");
        add(table, "commit latency, a (log-linear fit)", intercept, "ms");
        add(table, "commit latency, b per tenfold records", slope, "ms");
        add(table, "chunk reads per change (commit)", middle.perChange(Api.Commit::chunkReads), "chunks");
        add(table, "chunk fetches from the store per change", middle.perChange(Api.Commit::chunkFetches), "chunks");
        add(table, "chunk writes per change", middle.perChange(Api.Commit::chunkWrites), "chunks");
        add(table, "new chunk bytes per commit (stored)", middle.perCommit(Costs.Sample::chunkBytes), "bytes");
        add(table, "database growth per commit (dataset-service)", middle.perCommit(Costs.Sample::datasetDatabaseBytes), "bytes");
        add(table, "WAL per commit", middle.perCommit(Costs.Sample::walBytes), "bytes");
        add(table, "broker bytes per pipeline run", pipeline.per(pipeline.total().brokerBytes()), "bytes");
        add(table, "WAL per pipeline run (every service)", pipeline.per(pipeline.total().walBytes()), "bytes");
        add(table, "database growth per pipeline run (every service)", pipeline.per(pipeline.total().databaseBytes()), "bytes");
        pipeline.total().cpuSeconds().forEach((service, cpu) -> add(table, "CPU per pipeline run, " + service, pipeline.per(cpu) * 1e3, "ms"));
        add(table, "whole pipeline p50 (tiny spec)", pipeline.p50Millis(), "ms");
        report.json().put("changesPerCommit", middle.changes());
        ObjectNode lines = report.json().putObject("lines");
        Map.of("databaseBytes", storage, "ingestSeconds", ingest, "validationSeconds", validation, "validationCpuSeconds", validationCpu,
                "exportSeconds", export).forEach((name, line) -> lines.putObject(name).put("fixed", line.fixed()).put("perRecord", line.perRecord()));
    }

    /** The projection at the check's size next to what the check measured; met when every figure is within 2x. */
    private void check(Report report, Scale.Unit check) {
        long n = check.records();
        Report.Table table = report.table("check", String.format(Locale.ROOT, "projection checked: %,d records measured", n), "what", "what",
                "projected", "projected", "measured", "measured", "measured / projected", "ratio");
        boolean within = true;
        within &= compare(table, "database bytes after the ingest", storageBytes(n), check.ingest().datasetDatabaseBytes());
        within &= compare(table, "ingest seconds (one-shot)", ingestSeconds(n), check.ingest().seconds());
        within &= compare(table, "commit ms (" + check.changes() + " changes)", commitMillis(n), check.commitMillis());
        within &= compare(table, "validation s of a change", validationSeconds(n), check.validationSeconds());
        within &= compare(table, "validation CPU s of a change", validationCpu(n), check.validationCpu());
        within &= compare(table, "full read s", exportSeconds(n), check.exportSeconds());
        within &= compare(table, "chunk writes per change", middle.perChange(Api.Commit::chunkWrites), check.perChange(Api.Commit::chunkWrites));
        report.target("the capacity model's projection within 2x of the measured " + String.format(Locale.ROOT, "%,d", n) + "-record run",
                within, "see the check table (measured / projected per figure)");
    }

    private static boolean compare(Report.Table table, String what, double projected, double measured) {
        double ratio = measured / projected;
        table.row().put("what", what).put("projected", projected).put("measured", measured).put("ratio", ratio);
        return ratio >= 0.5 && ratio <= 2;
    }

    private static void add(Report.Table table, String what, double value, String unit) {
        ObjectNode row = table.row();
        row.put("what", what).put("value", value).put("unit", unit);
    }
}
