package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.api.programme.TreatmentConsents;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Consents and drug-treatment follow-up (42 CFR Part 2). The follow-up lives in {@code treatment_notes}, which no
 * other query of the platform joins; it is read only through {@link #followUp}, by a recipient a consent valid today
 * names, never by a police or prosecutor role whatever a consent says. Today is the site's today.
 */
@Component(service = TreatmentConsents.class)
public class TreatmentConsentsImpl implements TreatmentConsents {
    /** Who keeps consents: those who make and follow referrals. */
    static final Role[] KEEPERS = Audience.REFERRALS.roles();
    /** Who may be a recipient: a services, community or point-of-contact user at the site. */
    static final Role[] RECIPIENTS = {Role.SERVICES, Role.COMMUNITY, Role.POC};
    /** Who never reads treatment information: the roles that build cases (42 USC 290dd-2(c)). */
    static final Role[] NEVER = {Role.POLICE, Role.PROSECUTOR};

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Accounts accounts;
    private final Clock clock;

    @Activate
    public TreatmentConsentsImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Sites sites,
            @Reference Accounts accounts) {
        this(database, audit, sites, accounts, Clock.systemUTC());
    }

    public TreatmentConsentsImpl(Database database, AuditLog audit, Sites sites, Accounts accounts, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public Consent give(String site, long intervention, long referral, NewConsent input, Caller caller) {
        caller.require(site, "recording a consent to disclose treatment information", KEEPERS);
        List<InputError> errors = new ArrayList<>();
        List<String> recipients = input.recipients() == null
                ? List.of()
                : input.recipients().stream()
                        .filter(java.util.Objects::nonNull)
                        .map(String::strip)
                        .filter(r -> !r.isEmpty())
                        .distinct()
                        .toList();
        if (recipients.isEmpty()) {
            errors.add(InputError.of("consent", "recipients", "name at least one recipient"));
        }
        for (String name : recipients) {
            Optional<User> user = accounts.findByUsername(name);
            if (user.isEmpty()
                    || Arrays.stream(RECIPIENTS).noneMatch(r -> user.get().holdsAt(site, r))) {
                errors.add(InputError.of(
                        "consent",
                        "recipients",
                        "'" + name + "' is not a services, community or point of contact user at " + site));
            } else if (Arrays.stream(NEVER).anyMatch(r -> user.get().holdsAt(site, r))) {
                errors.add(InputError.of(
                        "consent",
                        "recipients",
                        "'" + name + "' holds a police or prosecutor role at " + site
                                + ": treatment information never goes to those who build cases"));
            }
        }
        String purpose = text(errors, "purpose", input.purpose(), 1000);
        String information = text(errors, "information", input.information(), 1000);
        if (input.givenOn() == null) {
            errors.add(InputError.of("consent", "givenOn", "is required: the day the person signed"));
        }
        if (input.expiresOn() == null) {
            errors.add(InputError.of("consent", "expiresOn", "is required: a consent names when it ends"));
        } else if (input.givenOn() != null && !input.expiresOn().isAfter(input.givenOn())) {
            errors.add(InputError.of("consent", "expiresOn", "must be after the day it was given"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant now = clock.instant();
        Consent given = database.transaction(c -> {
            requireTreatmentReferral(c, site, intervention, referral);
            long id = Sql.insert(
                    c,
                    "INSERT INTO treatment_consents (referral_id, recipients, purpose, information, given_on, expires_on,"
                            + " recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    referral,
                    String.join(",", recipients),
                    purpose,
                    information,
                    input.givenOn(),
                    input.expiresOn(),
                    caller.user().username(),
                    now);
            Records.timeline(
                    c,
                    intervention,
                    now,
                    "referral",
                    "9",
                    "Consent recorded for a referral",
                    Audience.REFERRALS,
                    caller);
            return consent(c, id);
        });
        Records.audit(audit, caller, site, "consent.given", "referral:" + referral, "consent:" + given.id());
        return given;
    }

    private static String text(List<InputError> errors, String field, String value, int max) {
        if (value == null || value.isBlank()) {
            errors.add(InputError.of("consent", field, "is required"));
            return "";
        }
        if (value.length() > max) {
            errors.add(InputError.of("consent", field, "is longer than " + max + " characters"));
        }
        return value.strip();
    }

    /** The referral, at the site, in the intervention, to drug treatment. */
    private static void requireTreatmentReferral(Connection c, String site, long intervention, long referral)
            throws SQLException {
        if (!Records.requireReferral(c, site, intervention, referral).equals(ServiceCategory.DRUG_TREATMENT.name())) {
            throw new RuleException(
                    "consent-for-drug-treatment",
                    "A consent under 42 CFR Part 2 belongs to a referral to drug treatment; this one is not.");
        }
    }

    private static Consent consent(Connection c, long id) throws SQLException {
        return Sql.one(c, "SELECT * FROM treatment_consents WHERE id = ?", TreatmentConsentsImpl::consent, id)
                .orElseThrow();
    }

    private static Consent consent(ResultSet rs) throws SQLException {
        return new Consent(
                rs.getLong("id"),
                rs.getLong("referral_id"),
                List.of(rs.getString("recipients").split(",")),
                rs.getString("purpose"),
                rs.getString("information"),
                Sql.date(rs, "given_on"),
                Sql.date(rs, "expires_on"),
                Sql.optionalDate(rs, "revoked_on"),
                rs.getString("recorded_by"));
    }

    @Override
    public Consent revoke(String site, long intervention, long consent, LocalDate on, Caller caller) {
        caller.require(site, "recording that a consent was revoked", KEEPERS);
        LocalDate today = Records.today(sites, clock, site);
        if (on != null && on.isAfter(today)) {
            throw new InvalidInputException(
                    InputError.of("consent", "revokedOn", "is after today: record the day the person revoked it"));
        }
        LocalDate day = on == null ? today : on;
        Instant now = clock.instant();
        Consent revoked = database.transaction(c -> {
            Consent now0 = consent(c, consent);
            requireTreatmentReferral(c, site, intervention, now0.referral());
            if (now0.revokedOn().isPresent()) {
                throw new RuleException(
                        "consent-revoked-once",
                        "This consent was revoked on " + now0.revokedOn().get() + ".");
            }
            Sql.update(
                    c,
                    "UPDATE treatment_consents SET revoked_on = ?, revoked_by = ? WHERE id = ?",
                    day,
                    caller.user().username(),
                    consent);
            Records.timeline(c, intervention, now, "referral", "9", "Consent revoked", Audience.REFERRALS, caller);
            return consent(c, consent);
        });
        Records.audit(audit, caller, site, "consent.revoked", "consent:" + consent, day.toString());
        return revoked;
    }

    @Override
    public List<Consent> consents(String site, long intervention, long referral, Caller caller) {
        caller.require(site, "reading the consents of a referral", KEEPERS);
        List<Consent> consents = database.read(c -> {
            requireTreatmentReferral(c, site, intervention, referral);
            return Sql.list(
                    c,
                    "SELECT * FROM treatment_consents WHERE referral_id = ? ORDER BY id",
                    TreatmentConsentsImpl::consent,
                    referral);
        });
        Records.audit(audit, caller, site, "consent.list", "referral:" + referral, consents.size() + " consent(s)");
        return consents;
    }

    /** The consent valid today that names the caller, if any; never for a police or prosecutor role. */
    private Optional<Consent> under(Connection c, String site, long referral, Caller caller) throws SQLException {
        return validFor(c, site, referral, caller, Records.today(sites, clock, site));
    }

    /** The consent valid on the day that names the caller, if any; never for a police or prosecutor role. */
    static Optional<Consent> validFor(Connection c, String site, long referral, Caller caller, LocalDate today)
            throws SQLException {
        if (caller.holdsAt(site, NEVER) || !caller.holdsAt(site, RECIPIENTS)) {
            return Optional.empty();
        }
        for (Consent consent : Sql.list(
                c,
                "SELECT * FROM treatment_consents WHERE referral_id = ? ORDER BY id DESC",
                TreatmentConsentsImpl::consent,
                referral)) {
            if (consent.validOn(today)
                    && consent.recipients().contains(caller.user().username())) {
                return Optional.of(consent);
            }
        }
        return Optional.empty();
    }

    @Override
    public TreatmentNote recordFollowUp(String site, long intervention, long referral, String note, Caller caller) {
        caller.require(site, "recording treatment follow-up", RECIPIENTS);
        if (note == null || note.isBlank() || note.length() > 4000) {
            throw new InvalidInputException(InputError.of("follow-up", "note", "is required, at most 4000 characters"));
        }
        Instant now = clock.instant();
        TreatmentNote recorded = database.transaction(c -> {
            requireTreatmentReferral(c, site, intervention, referral);
            Consent consent = under(c, site, referral, caller)
                    .orElseThrow(() -> new AccessDeniedException(
                            "recording treatment follow-up needs a consent valid today that names you"));
            long id = Sql.insert(
                    c,
                    "INSERT INTO treatment_notes (consent_id, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?)",
                    consent.id(),
                    note.strip(),
                    caller.user().username(),
                    now);
            return new TreatmentNote(id, note.strip(), caller.user().username(), now);
        });
        Records.audit(audit, caller, site, "treatment.recorded", "referral:" + referral, "");
        return recorded;
    }

    @Override
    public Optional<Disclosure> followUp(String site, long intervention, long referral, Caller caller) {
        caller.require(site, "reading treatment follow-up", RECIPIENTS);
        Optional<Disclosure> disclosed = database.read(c -> {
            requireTreatmentReferral(c, site, intervention, referral);
            Optional<Consent> consent = under(c, site, referral, caller);
            if (consent.isEmpty()) {
                return Optional.<Disclosure>empty();
            }
            // the follow-up of every consent of this referral that names the caller, disclosed under today's
            List<TreatmentNote> notes = Sql.list(
                    c,
                    "SELECT n.id, n.note, n.recorded_by, n.recorded_at FROM treatment_notes n"
                            + " JOIN treatment_consents k ON k.id = n.consent_id WHERE k.referral_id = ? ORDER BY n.id",
                    rs -> new TreatmentNote(
                            rs.getLong(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "recorded_at")),
                    referral);
            return Optional.of(new Disclosure(consent.get().id(), notes, REDISCLOSURE_NOTICE));
        });
        disclosed.ifPresent(d -> Records.audit(
                audit, caller, site, "treatment.disclosed", "referral:" + referral, "consent:" + d.consent()));
        return disclosed;
    }
}
