package org.dmiplatform.testing;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;

/** A record sink that keeps what an adapter gives it, for tests of adapters without the import pipeline. */
public final class CollectingSink implements RecordSink {
    public record Rejected(long line, String field, String reason, String raw) {}

    public record Skipped(long line, String why) {}

    public record Deleted(long line, RecordKind kind, String sourceId) {}

    public final List<CrimeRecord> accepted = new ArrayList<>();
    public final List<Rejected> rejected = new ArrayList<>();
    public final List<Skipped> skipped = new ArrayList<>();
    public final List<Deleted> deleted = new ArrayList<>();
    private final ZoneId zone;
    private final int cancelAfter;
    private volatile boolean cancelled;
    private String watermark;

    public CollectingSink(ZoneId zone) {
        this(zone, Integer.MAX_VALUE);
    }

    /** A sink that cancels the import once it has been given so many outcomes. */
    public CollectingSink(ZoneId zone, int cancelAfter) {
        this.zone = zone;
        this.cancelAfter = cancelAfter;
    }

    public CollectingSink(String zone) {
        this(ZoneId.of(zone));
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public void accept(CrimeRecord record) {
        accepted.add(record);
    }

    @Override
    public void reject(long line, String field, String reason, String raw) {
        rejected.add(new Rejected(line, field, reason, raw));
    }

    @Override
    public void delete(long line, RecordKind kind, String sourceId) {
        deleted.add(new Deleted(line, kind, sourceId));
    }

    @Override
    public void skipped(long line, String why) {
        skipped.add(new Skipped(line, why));
    }

    @Override
    public void watermark(String value) {
        watermark = value;
    }

    public Optional<String> watermark() {
        return Optional.ofNullable(watermark);
    }

    public void cancel() {
        cancelled = true;
    }

    @Override
    public boolean cancelled() {
        return cancelled || outcomes() >= cancelAfter;
    }

    /** Every outcome given: accepted, rejected, skipped or deleted. */
    public int outcomes() {
        return accepted.size() + rejected.size() + skipped.size() + deleted.size();
    }

    /** The one record given, when nothing else was. */
    public CrimeRecord only() {
        if (accepted.size() != 1 || outcomes() != 1) {
            throw new AssertionError("expected exactly one record, got " + this);
        }
        return accepted.get(0);
    }

    @Override
    public String toString() {
        return "accepted " + accepted.stream().map(CrimeRecord::sourceId).toList() + ", rejected " + rejected
                + ", skipped " + skipped + ", deleted " + deleted;
    }

    public CrimeRecord record(String sourceId) {
        return accepted.stream()
                .filter(r -> r.sourceId().equals(sourceId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record " + sourceId + " among " + accepted.size()));
    }
}
