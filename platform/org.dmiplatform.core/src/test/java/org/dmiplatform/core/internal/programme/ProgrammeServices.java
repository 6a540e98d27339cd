package org.dmiplatform.core.internal.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.Market;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;

/** The programme services on one test store, wired as the platform wires them, for the sites chicago and denver. */
record ProgrammeServices(
        Database database,
        FakeSites sites,
        AuditLogImpl audit,
        TeamsImpl teams,
        ProgrammeImpl programme,
        MarketImpl market,
        CallInsImpl callIns,
        CommunityWorkImpl community,
        Purge purge) {

    static ProgrammeServices on(TestDatabases.Fresh fresh, MutableClock clock) {
        Database database = Database.on(fresh.dataSource());
        AuditLogImpl audit = new AuditLogImpl(database, clock);
        FakeSites sites = new FakeSites("chicago", "denver");
        TeamsImpl teams = new TeamsImpl(database, audit, sites, clock);
        ProgrammeImpl programme = new ProgrammeImpl(database, audit, sites, teams, StepDefinitions.standard(), clock);
        return new ProgrammeServices(
                database,
                sites,
                audit,
                teams,
                programme,
                new MarketImpl(database, audit, sites, programme, clock),
                new CallInsImpl(database, audit, sites, programme, clock),
                new CommunityWorkImpl(database, audit, clock),
                new Purge(database, audit, sites, clock));
    }

    /** A user holding one role at the site (or nationally, for the TTA roles). */
    static Caller as(Role role, String site) {
        Grant grant = role.isNational() ? Grant.national(role) : Grant.at(site, role);
        return new Caller(
                new User(
                        role.ordinal() + 100,
                        site + "-" + role.id(),
                        role.id(),
                        List.of(grant),
                        true,
                        false,
                        Instant.EPOCH),
                "192.0.2.1");
    }

    /** Step 7a done the quick way: five kinds of service offered by named providers, transportation not offered. */
    static void arrangeAllServices(CallInsImpl callIns, String site, long intervention) {
        for (org.dmiplatform.api.programme.Market.ServiceCategory category :
                org.dmiplatform.api.programme.Market.ServiceCategory.values()) {
            boolean offered = category != org.dmiplatform.api.programme.Market.ServiceCategory.TRANSPORTATION;
            callIns.arrangeService(
                    site,
                    intervention,
                    new org.dmiplatform.api.programme.CallIns.Arrangement(
                            category,
                            offered,
                            offered ? "Provider of " + category : "",
                            "",
                            offered ? "" : "no bus passes"),
                    as(org.dmiplatform.api.access.Role.SERVICES, site));
        }
    }

    /** An intervention at the site, started 1 March 2026 by its point of contact. */
    long intervention(String site) {
        return programme()
                .create(
                        site,
                        new Programme.NewIntervention("West End", LocalDate.of(2026, 3, 1), ""),
                        as(Role.POC, site))
                .id();
    }

    /** The call-in planned and the person's letter mailed: invited (Steps 3b, 5a and 6a). */
    void invite(String site, long intervention, long person) {
        for (String step : List.of("3b", "5a")) {
            programme()
                    .setProgress(
                            site,
                            intervention,
                            step,
                            "",
                            org.dmiplatform.api.programme.Progress.DONE,
                            "",
                            as(Role.SITE_ADMIN, site));
        }
        if (callIns().callIn(site, intervention, as(Role.POLICE, site)).isEmpty()) {
            callIns()
                    .plan(
                            site,
                            intervention,
                            new org.dmiplatform.api.programme.CallIns.Plan(
                                    java.time.LocalDateTime.of(2026, 6, 12, 18, 30), "District station", "", ""),
                            as(Role.POLICE, site));
        }
        long letter = callIns()
                .generateLetter(site, intervention, person, as(Role.POLICE, site))
                .id();
        callIns().markSent(site, intervention, letter, LocalDate.of(2026, 3, 1), as(Role.POLICE, site));
    }

    /** A person on the dealer list offered the call-in: the one services see and refer. */
    long callInCandidate(String site, long intervention) {
        long person = market().enter(
                        site,
                        intervention,
                        new Market.NewPerson("Candidate (test)", "", Market.Level.STREET, "seen selling", "survey", ""),
                        as(Role.POLICE, site))
                .id();
        market().decide(site, intervention, person, Market.Decision.CALL_IN, "street level", as(Role.PROSECUTOR, site));
        return person;
    }
}
