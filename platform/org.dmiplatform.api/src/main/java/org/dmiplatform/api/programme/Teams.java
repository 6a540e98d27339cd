package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.Identified;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** A site's DMI team: members and their turnover, readiness, SWOT, trainings and TTA site visits. */
@ProviderType
public interface Teams {

    Team team(String site);

    /** Point of contact or site administrator. */
    Member addMember(String site, NewMember member, Caller caller);

    /** Point of contact or site administrator: a member leaving ({@code endedOn}), becoming the point of contact. */
    Member changeMember(String site, long id, MemberChange change, Caller caller);

    /** Leadership sign-off on readiness (point of contact or site administrator). */
    SignOff signOff(String site, String leader, LocalDate signedOn, String note, Caller caller);

    /** Anyone at the site; {@code intervention} when the entry belongs to one (the debrief's SWOT). */
    SwotEntry addSwot(String site, Optional<Long> intervention, SwotKind kind, String text, Caller caller);

    /** Point of contact or site administrator, or TTA staff. */
    Attendance recordTraining(String site, long member, Training training, LocalDate attendedOn, Caller caller);

    /** TTA staff record their visits. */
    SiteVisit addVisit(String site, LocalDate visitedOn, String visitor, String purpose, Caller caller);

    Readiness readiness(String site);

    /** The roles of the checklist: four required on every team, the others as the site needs them. */
    enum TeamRole implements Identified {
        POLICE("police", "Police/Sheriff's Department", true),
        PROSECUTOR("prosecutor", "Prosecutor's Office", true),
        COMMUNITY("community", "Influential community member", true),
        SOCIAL_SERVICES("social-services", "Social services", true),
        CITY_MANAGEMENT("city-management", "City management/Mayor's Office", false),
        US_ATTORNEY("us-attorney", "United States Attorney's Office", false),
        FAITH_BASED("faith-based", "Faith based organization", false),
        PROBATION_PAROLE("probation-parole", "Probation and Parole", false),
        OUTREACH("outreach", "Outreach worker", false),
        REENTRY("reentry", "Reentry services", false),
        RESEARCH_PARTNER("research-partner", "Research partner", false);

        private final String id;
        private final String label;
        private final boolean required;

        TeamRole(String id, String label, boolean required) {
            this.id = id;
            this.label = label;
            this.required = required;
        }

        @Override
        public String id() {
            return id;
        }

        public String label() {
            return label;
        }

        public boolean required() {
            return required;
        }

        public static Optional<TeamRole> byId(String id) {
            return Identified.byId(TeamRole.class, id);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** The introductory meeting (the point of contact) and the three trainings (the whole team). */
    enum Training implements Identified {
        INTRODUCTORY("introductory", "Introductory meeting"),
        FIRST("first", "First training"),
        SECOND("second", "Second training"),
        THIRD("third", "Third training");

        private final String id;
        private final String label;

        Training(String id, String label) {
            this.id = id;
            this.label = label;
        }

        @Override
        public String id() {
            return id;
        }

        public String label() {
            return label;
        }

        public static Optional<Training> byId(String id) {
            return Identified.byId(Training.class, id);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    enum SwotKind {
        STRENGTH,
        WEAKNESS,
        OPPORTUNITY,
        THREAT
    }

    record NewMember(
            String name, String agency, TeamRole role, boolean pointOfContact, LocalDate startedOn, String contact) {}

    record MemberChange(Optional<LocalDate> endedOn, Optional<Boolean> pointOfContact, Optional<String> contact) {}

    /** @param active no end date, or one in the future */
    record Member(
            long id,
            String name,
            String agency,
            TeamRole role,
            boolean pointOfContact,
            LocalDate startedOn,
            Optional<LocalDate> endedOn,
            String contact,
            boolean active,
            List<Attendance> trainings) {}

    record Attendance(long member, Training training, LocalDate attendedOn) {}

    record SignOff(long id, String leader, LocalDate signedOn, String note, String recordedBy) {}

    record SwotEntry(long id, Optional<Long> intervention, SwotKind kind, String text, String by, Instant at) {}

    record SiteVisit(long id, LocalDate visitedOn, String visitor, String purpose, String recordedBy) {}

    /**
     * @param ready every required role filled by an active member, a point of contact, and leadership sign-off
     * @param missing what keeps the team from being ready, in words
     */
    record Readiness(
            boolean ready,
            List<String> missing,
            List<TeamRole> filled,
            boolean pointOfContact,
            Optional<SignOff> signOff) {}

    record Team(
            String site,
            List<Member> members,
            Readiness readiness,
            List<SignOff> signOffs,
            List<SwotEntry> swot,
            List<SiteVisit> visits) {}
}
