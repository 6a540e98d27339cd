package org.dmiplatform.reporting.standard.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.reporting.MarketWatch;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.reporting.OutcomeRequest;
import org.dmiplatform.api.reporting.Reporting;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The programme's standard reports for one site. Records are read through the records store as the caller (so the
 * store checks and audits every read); the intervention's areas and call-in date come from the programme.
 */
@Component(
        service = Reporting.class,
        configurationPid = StandardReporting.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=" + Reporting.KIND, "dmi.plugin.name=standard"})
@Designate(ocd = StandardReporting.Config.class, factory = true)
public class StandardReporting implements Reporting {
    static final String PID = "org.dmiplatform.reporting.standard";

    @ObjectClassDefinition(name = "DMI reporting (standard)")
    public @interface Config {
        @AttributeDefinition(description = "the site this plug-in serves (written by provisioning)")
        String dmi_site();
    }

    private final RecordsStore records;
    private final Programme programme;
    private final CallIns callIns;
    private final CommunityWork community;
    private final Clock clock;
    private volatile String site;

    @Activate
    public StandardReporting(
            @Reference RecordsStore records,
            @Reference Programme programme,
            @Reference CallIns callIns,
            @Reference CommunityWork community,
            Config config) {
        this(records, programme, callIns, community, Clock.systemUTC());
        modified(config);
    }

    public StandardReporting(
            RecordsStore records, Programme programme, CallIns callIns, CommunityWork community, Clock clock) {
        this.community = community;
        this.clock = clock;
        this.records = records;
        this.programme = programme;
        this.callIns = callIns;
    }

    @Modified
    void modified(Config config) {
        this.site = config.dmi_site();
    }

    private void serves(Site asked) {
        String mine = site;
        if (mine != null && !mine.equals(asked.id())) {
            throw new IllegalStateException("the reporting plug-in of " + mine + " was asked for " + asked.id());
        }
    }

    @Override
    public OutcomeReport outcome(Site site, long id, OutcomeRequest request, Caller caller) {
        serves(site);
        check(request);
        Intervention intervention = programme.intervention(site.id(), id);
        Optional<CallIns.CallInDate> date = callIns.date(site.id(), id);
        List<String> notes = new ArrayList<>();
        if (date.isEmpty()) {
            return OutcomeReport.nothing(
                    intervention.id(),
                    intervention.name(),
                    List.of("everything: the call-in has no date yet, and it divides before from"
                            + " after (plan it on the call-in tab)"));
        }
        ZoneId zone = site.timeZone();
        LocalDate callIn = date.get().at().toLocalDate();
        if (!date.get().held()) {
            notes.add(
                    "the call-in is not recorded as held: its planned day, " + callIn + ", divides before from after");
        }
        LocalDate today = LocalDate.now(clock.withZone(zone));
        OutcomeReport.Window before = Evaluation.before(callIn, request.monthsBefore());
        OutcomeReport.Window after = Evaluation.after(callIn, request.monthsAfter());
        // the three areas in one pass over each window's records
        Map<String, List<RecordQuery.Polygon>> areas = new java.util.LinkedHashMap<>();
        for (AreaKind kind : AreaKind.values()) {
            List<RecordQuery.Polygon> polygons = programme.area(site.id(), id, kind);
            if (polygons.isEmpty()) {
                notes.add("the " + kind.id() + " area: it is not drawn (Step 1)");
            } else {
                areas.put(kind.id(), polygons);
            }
        }
        RecordQuery query = RecordQuery.ALL.kinds(request.kinds()).categories(request.categories());
        Map<AreaKind, Evaluation.Counts> drawn = new EnumMap<>(AreaKind.class);
        for (AreaKind kind : AreaKind.values()) {
            if (areas.containsKey(kind.id())) {
                drawn.put(kind, new Evaluation.Counts(new TreeMap<>(), new TreeMap<>()));
            }
        }
        if (!areas.isEmpty()) {
            // both windows in one pass, by day: the call-in's day divides them exactly
            Instant from = before.from().atStartOfDay(zone).toInstant();
            Instant until = after.until().atStartOfDay(zone).toInstant();
            records.countsByDayIn(site.id(), query.between(from, until), areas, caller)
                    .forEach((area, days) -> {
                        Evaluation.Counts counts = drawn.get(AreaKind.valueOf(area.toUpperCase(java.util.Locale.ROOT)));
                        for (RecordsStore.CategoryDayCount day : days) {
                            long n = day.count()
                                    .orElseThrow(() -> new AccessDeniedException("the outcome report of an"
                                            + " intervention needs the counts themselves, which your role reads with"
                                            + " small counts suppressed; the cross-site report is made for it"));
                            (day.day().isBefore(callIn) ? counts.before() : counts.after())
                                    .computeIfAbsent(YearMonth.from(day.day()), m -> new EnumMap<>(Category.class))
                                    .merge(day.category(), n, Long::sum);
                        }
                    });
        }
        return Evaluation.evaluate(
                id, intervention.name(), callIn, request.monthsBefore(), request.monthsAfter(), drawn, notes, today);
    }

    @Override
    public MarketWatch watch(Site site, long id, Caller caller) {
        serves(site);
        Intervention intervention = programme.intervention(site.id(), id);
        List<String> notes = new ArrayList<>();
        Optional<CallIns.CallInDate> date = callIns.date(site.id(), id);
        List<RecordQuery.Polygon> target = programme.area(site.id(), id, AreaKind.TARGET);
        ZoneId zone = site.timeZone();
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (date.isEmpty() || !date.get().held() || target.isEmpty()) {
            notes.add(
                    date.isEmpty() || !date.get().held()
                            ? "the watch starts once the call-in is recorded as held"
                            : "the watch needs the target area (Step 1)");
            return new MarketWatch(
                    id,
                    intervention.name(),
                    date.map(d -> d.at().toLocalDate()),
                    Watch.BASELINE_WEEKS,
                    Watch.ALPHA,
                    List.of(),
                    notes);
        }
        LocalDate callIn = date.get().at().toLocalDate();
        long weeks = java.time.temporal.ChronoUnit.DAYS.between(callIn, today) / 7;
        if (weeks < Watch.BASELINE_WEEKS) {
            notes.add("the area's level after the call-in is set by its first " + Watch.BASELINE_WEEKS + " weeks; "
                    + weeks + " are over");
        }
        RecordQuery drugs = new RecordQuery(
                        Optional.empty(),
                        Optional.empty(),
                        java.util.Set.of(),
                        java.util.Set.of(Category.DRUG),
                        Optional.empty(),
                        Optional.empty(),
                        target)
                .between(
                        callIn.atStartOfDay(zone).toInstant(),
                        today.atStartOfDay(zone).toInstant());
        List<MarketWatch.Measure> measures = new ArrayList<>();
        measures.add(Watch.measure(
                "drug-incidents",
                callIn,
                today,
                byDay(site, drugs.kinds(java.util.Set.of(RecordKind.INCIDENT)), caller)));
        measures.add(Watch.measure(
                "drug-calls",
                callIn,
                today,
                byDay(site, drugs.kinds(java.util.Set.of(RecordKind.CALL_FOR_SERVICE)), caller)));
        Map<LocalDate, Long> residents = new TreeMap<>();
        for (CommunityWork.ResidentCall call : community.calls(site.id(), id)) {
            residents.merge(LocalDate.ofInstant(call.receivedAt(), zone), 1L, Long::sum);
        }
        measures.add(Watch.measure("residents-calls", callIn, today, residents));
        return new MarketWatch(
                id, intervention.name(), Optional.of(callIn), Watch.BASELINE_WEEKS, Watch.ALPHA, measures, notes);
    }

    private Map<LocalDate, Long> byDay(Site site, RecordQuery query, Caller caller) {
        Map<LocalDate, Long> out = new TreeMap<>();
        for (RecordsStore.DayCount day : records.countsByDay(site.id(), query, caller)) {
            out.put(
                    day.day(),
                    day.count()
                            .orElseThrow(() -> new AccessDeniedException(
                                    "the watch needs the counts themselves, which your role reads with small counts"
                                            + " suppressed")));
        }
        return out;
    }

    @Override
    public void write(Site site, OutcomeReport report, ReportFormat format, OutputStream out) throws IOException {
        serves(site);
        switch (format) {
            case CSV -> CsvReport.write(report, out);
            case HTML -> out.write(document(site, report, OutcomeDocument.Charts.PICTURES)
                    .xhtml()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case PDF -> PdfReport.write(document(site, report, OutcomeDocument.Charts.DRAWINGS), out);
        }
    }

    /** The document of a report: its areas drawn as the intervention has them now. */
    private OutcomeDocument.Page document(Site site, OutcomeReport report, OutcomeDocument.Charts charts) {
        Map<AreaKind, List<RecordQuery.Polygon>> outlines = new EnumMap<>(AreaKind.class);
        for (AreaKind kind : AreaKind.values()) {
            outlines.put(kind, programme.area(site.id(), report.intervention(), kind));
        }
        return OutcomeDocument.write(site, report, outlines, clock.instant(), charts);
    }

    private static void check(OutcomeRequest request) {
        List<InputError> errors = new ArrayList<>();
        if (request.monthsBefore() < 1 || request.monthsBefore() > OutcomeRequest.MAX_MONTHS) {
            errors.add(InputError.of(
                    "report",
                    "before",
                    "must be 1 to " + OutcomeRequest.MAX_MONTHS + " months, not " + request.monthsBefore()));
        }
        if (request.monthsAfter() < 1 || request.monthsAfter() > OutcomeRequest.MAX_MONTHS) {
            errors.add(InputError.of(
                    "report",
                    "after",
                    "must be 1 to " + OutcomeRequest.MAX_MONTHS + " months, not " + request.monthsAfter()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
