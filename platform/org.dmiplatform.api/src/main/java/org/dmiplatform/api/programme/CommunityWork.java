package org.dmiplatform.api.programme;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The community's side as records: meetings and briefings (Step 5, with the reconciliation conversations between
 * police and residents), residents' calls about the market and how fast they were answered (Step 8), and
 * newsletters (Step 9). None of them holds a person's record.
 */
@ProviderType
public interface CommunityWork {

    List<Meeting> meetings(String site, long intervention);

    Meeting addMeeting(String site, long intervention, NewMeeting meeting, Caller caller);

    List<ResidentCall> calls(String site, long intervention);

    ResidentCall addCall(String site, long intervention, Instant receivedAt, String about, Caller caller);

    ResidentCall answer(String site, long intervention, long call, Instant answeredAt, String outcome, Caller caller);

    /** How fast residents' calls were answered. */
    Responsiveness responsiveness(String site, long intervention);

    List<Newsletter> newsletters(String site, long intervention);

    Newsletter addNewsletter(
            String site, long intervention, LocalDate publishedOn, String title, String notes, Caller caller);

    enum MeetingKind {
        COMMUNITY_MEETING,
        BRIEFING,
        RECONCILIATION
    }

    record NewMeeting(
            MeetingKind kind, LocalDate heldOn, String audience, String place, int attendance, String notes) {}

    record Meeting(
            long id,
            MeetingKind kind,
            LocalDate heldOn,
            String audience,
            String place,
            int attendance,
            String notes,
            String recordedBy) {}

    record ResidentCall(
            long id,
            Instant receivedAt,
            Optional<Instant> answeredAt,
            String about,
            String outcome,
            Optional<Long> minutesToAnswer,
            String recordedBy,
            String answeredBy) {}

    record Responsiveness(int calls, int answered, Optional<Long> medianMinutes, Optional<Long> longestMinutes) {}

    record Newsletter(long id, LocalDate publishedOn, String title, String notes, String recordedBy) {}
}
