package org.dmiplatform.core.internal.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.programme.CallIns;
import org.dmiplatform.api.programme.CommunityWork;
import org.dmiplatform.api.programme.Debriefs.Evidence;
import org.dmiplatform.api.programme.Debriefs.Goal;
import org.dmiplatform.api.programme.Debriefs.GoalEvidence;
import org.dmiplatform.api.programme.MarketAlerts;
import org.dmiplatform.api.programme.Programme.AreaKind;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.reporting.OutcomeReport;
import org.dmiplatform.api.reporting.OutcomeRequest;
import org.dmiplatform.api.reporting.Reporting;

/**
 * The evidence for a debrief's four goals, in sentences, from what the platform holds: the reporting plug-in's
 * figures (read as the caller), the market watch's alerts, the residents' calls and the community meetings. Nothing
 * is judged here: the team assesses; this says what the figures are.
 */
final class DebriefEvidence {
    /** The window before the call-in, as the programme's evaluations take it. */
    static final int MONTHS_BEFORE = OutcomeRequest.DEFAULT_MONTHS;

    /** What every reader of a debrief may read. */
    private final Map<Goal, List<String>> lines = new EnumMap<>(Goal.class);
    /** Figures from the records, for the caller only. */
    private final Map<Goal, List<String>> records = new EnumMap<>(Goal.class);

    private final List<String> missing = new ArrayList<>();

    private DebriefEvidence() {
        for (Goal goal : Goal.values()) {
            lines.put(goal, new ArrayList<>());
            records.put(goal, new ArrayList<>());
        }
    }

    /** What the platform holds for an intervention, as far as the caller may read it. */
    record Sources(
            Site site,
            long intervention,
            Optional<CallIns.CallInDate> callIn,
            Optional<Reporting> reporting,
            List<CommunityWork.ResidentCall> calls,
            List<CommunityWork.Meeting> meetings,
            Optional<List<MarketAlerts.Alert>> alerts,
            boolean readsRecords,
            LocalDate today) {}

    static Evidence gather(Sources s, Caller caller) {
        DebriefEvidence e = new DebriefEvidence();
        e.meetings(s.meetings());
        if (s.callIn().isEmpty()) {
            e.missing.add("before and after: the call-in has no date yet");
            e.calls(s.calls(), Optional.empty(), 0, s.site().timeZone());
            return e.done();
        }
        LocalDate day = s.callIn().get().at().toLocalDate();
        if (!s.callIn().get().held()) {
            e.missing.add(
                    "the call-in is not recorded as held: its planned day, " + day + ", divides before from after");
        }
        int after =
                (int) Math.min(OutcomeRequest.DEFAULT_MONTHS, Math.max(0, ChronoUnit.MONTHS.between(day, s.today())));
        e.calls(s.calls(), Optional.of(day), after, s.site().timeZone());
        if (!s.callIn().get().held()) {
            e.missing.add("the market watch: it starts once the call-in is recorded as held");
        } else {
            s.alerts().ifPresent(alerts -> e.watch(alerts, s.intervention()));
        }
        if (!s.readsRecords()) {
            e.missing.add("the records figures: your role does not read the site's records; police, prosecutors, the"
                    + " research partner, the point of contact or the site administrator see them here");
            return e.done();
        }
        if (after < 1) {
            e.missing.add("the records after the call-in: not one whole month since it (" + day + ")");
            return e.done();
        }
        if (s.reporting().isEmpty()) {
            e.missing.add("the records figures: the site has no reporting plug-in (feature dmi-reporting-standard)");
            return e.done();
        }
        try {
            OutcomeReport drugs = s.reporting()
                    .get()
                    .outcome(
                            s.site(),
                            s.intervention(),
                            new OutcomeRequest(MONTHS_BEFORE, after, Set.of(Category.DRUG), Set.of()),
                            caller);
            OutcomeReport all = s.reporting()
                    .get()
                    .outcome(
                            s.site(),
                            s.intervention(),
                            new OutcomeRequest(MONTHS_BEFORE, after, Set.of(), Set.of()),
                            caller);
            e.market(drugs, after);
            e.crime(all, after);
            e.safety(all, after);
            java.util.stream.Stream.concat(drugs.notComputed().stream(), all.notComputed().stream())
                    .filter(n -> !n.startsWith("the call-in is not recorded as held"))
                    .distinct()
                    .forEach(n -> e.missing.add("outcome figures: " + n));
        } catch (AccessDeniedException denied) {
            e.missing.add("the records figures: " + denied.getMessage());
        }
        return e.done();
    }

    private Evidence done() {
        List<GoalEvidence> goals = new ArrayList<>();
        lines.forEach((goal, said) -> goals.add(new GoalEvidence(goal, said, records.get(goal))));
        return new Evidence(goals, missing);
    }

    private void market(OutcomeReport drugs, int after) {
        List<String> said = records.get(Goal.ELIMINATE_MARKET);
        area(drugs, AreaKind.TARGET)
                .ifPresent(t -> said.add("Drug records in the target area: " + t.before()
                        + " in the " + MONTHS_BEFORE + " months before the call-in, " + t.after() + " in the " + after
                        + " month(s) after" + change(t.percentChange())));
        drugs.rateRatio()
                .ifPresent(r -> said.add("Drug records against the comparison area: rate ratio " + two(r.ratio())
                        + " (95% CI " + two(r.low()) + " to " + two(r.high()) + ")" + reading(r) + "."));
    }

    private void crime(OutcomeReport all, int after) {
        List<String> said = records.get(Goal.REDUCE_CRIME);
        for (AreaKind kind : AreaKind.values()) {
            area(all, kind)
                    .ifPresent(a -> said.add("All records in the " + kind.id() + " area: " + a.before() + " before, "
                            + a.after() + " in the " + after + " month(s) after" + change(a.percentChange())));
        }
        all.rateRatio()
                .ifPresent(r -> said.add("Target against comparison: rate ratio " + two(r.ratio()) + " (95% CI "
                        + two(r.low()) + " to " + two(r.high()) + ")" + reading(r) + "."));
        all.displacementQuotient()
                .ifPresent(q -> said.add("Next door (weighted displacement quotient"
                        + q.quotient().map(v -> " " + two(v)).orElse("") + "): " + q.reading() + "."));
        all.displacementDifference()
                .ifPresent(d -> said.add("Weighted displacement difference: " + Math.round(d.total()) + " records (z "
                        + two(d.z()) + ")."));
    }

    private void safety(OutcomeReport all, int after) {
        List<String> said = records.get(Goal.IMPROVE_SAFETY);
        area(all, AreaKind.TARGET).ifPresent(t -> {
            for (Category category : EnumSet.of(Category.VIOLENT_PART_I, Category.WEAPONS, Category.DISORDER)) {
                t.categories().stream()
                        .filter(c -> c.category() == category)
                        .findFirst()
                        .ifPresentOrElse(
                                c -> said.add(label(category) + " in the target area: " + c.before() + " before, "
                                        + c.after() + " in the " + after + " month(s) after"
                                        + change(c.percentChange())),
                                () -> said.add(label(category) + " in the target area: none before or after."));
            }
        });
    }

    private void calls(
            List<CommunityWork.ResidentCall> calls, Optional<LocalDate> callIn, int monthsAfter, ZoneId zone) {
        List<String> said = lines.get(Goal.RETURN_NEIGHBORHOOD);
        if (calls.isEmpty()) {
            said.add("No residents' calls recorded.");
            return;
        }
        long answered = calls.stream().filter(c -> c.answeredAt().isPresent()).count();
        if (callIn.isPresent()) {
            LocalDate day = callIn.get();
            Instant from = day.minusMonths(MONTHS_BEFORE).atStartOfDay(zone).toInstant();
            Instant at = day.atStartOfDay(zone).toInstant();
            Instant until = day.plusMonths(monthsAfter).atStartOfDay(zone).toInstant();
            long before = calls.stream()
                    .filter(c ->
                            !c.receivedAt().isBefore(from) && c.receivedAt().isBefore(at))
                    .count();
            long after = calls.stream()
                    .filter(c -> !c.receivedAt().isBefore(at) && c.receivedAt().isBefore(until))
                    .count();
            said.add("Residents' calls: " + before + " in the " + MONTHS_BEFORE + " months before the call-in, " + after
                    + " in the " + monthsAfter + " month(s) after.");
        }
        said.add("Residents' calls answered, of all recorded: " + answered + " of " + calls.size() + ".");
    }

    private void meetings(List<CommunityWork.Meeting> meetings) {
        if (meetings.isEmpty()) {
            lines.get(Goal.RETURN_NEIGHBORHOOD).add("No community meetings recorded.");
            return;
        }
        int people =
                meetings.stream().mapToInt(CommunityWork.Meeting::attendance).sum();
        LocalDate latest = meetings.stream()
                .map(CommunityWork.Meeting::heldOn)
                .max(LocalDate::compareTo)
                .orElseThrow();
        lines.get(Goal.RETURN_NEIGHBORHOOD)
                .add("Community meetings: " + meetings.size() + ", " + people + " attending in all; the latest on "
                        + latest + ".");
    }

    private void watch(List<MarketAlerts.Alert> alerts, long intervention) {
        List<MarketAlerts.Alert> mine =
                alerts.stream().filter(a -> a.intervention() == intervention).toList();
        List<String> said = lines.get(Goal.ELIMINATE_MARKET);
        if (mine.isEmpty()) {
            said.add("The market watch has raised no alert for this intervention.");
            return;
        }
        long open = mine.stream().filter(a -> a.acknowledged().isEmpty()).count();
        LocalDate latest = mine.stream()
                .map(MarketAlerts.Alert::weekFrom)
                .max(LocalDate::compareTo)
                .orElseThrow();
        said.add("The market watch raised " + mine.size() + " alert(s) of activity returning beyond chance, the latest"
                + " for the week from " + latest + (open > 0 ? "; " + open + " not yet acknowledged." : "."));
    }

    private static Optional<OutcomeReport.AreaCounts> area(OutcomeReport report, AreaKind kind) {
        return report.areas().stream().filter(a -> a.area() == kind).findFirst();
    }

    private static String change(Optional<Double> percent) {
        return percent.map(p -> String.format(Locale.ROOT, " (%+.1f%% a month).", p))
                .orElse(".");
    }

    private static String reading(OutcomeReport.RateRatio r) {
        if (r.high() < 1) {
            return ": the target fell more, or rose less, beyond chance";
        }
        if (r.low() > 1) {
            return ": the target rose more, or fell less, beyond chance";
        }
        return ": no difference beyond chance";
    }

    private static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String label(Category category) {
        return switch (category) {
            case VIOLENT_PART_I -> "Violent Part I offences";
            case WEAPONS -> "Weapons offences";
            case DISORDER -> "Disorder";
            default -> category.id();
        };
    }
}
