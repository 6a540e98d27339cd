package org.dmiplatform.api.programme;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Shared operational materials: the letter templates, call-in scripts, guides and training materials the national TTA
 * team publishes to every site or to one cohort. Each publish is a new version with a note of what changed; a
 * withdrawal is an event of its own. A site adopts a copy of a national version, adapts its copy (each edit a new
 * version of the copy), sees when the national version is newer than the one its copy is based on, and takes the new
 * one in. Nothing is changed or deleted: earlier versions and copies stay.
 *
 * <p>Who: the two TTA roles publish, version and withdraw, and read every material and every site's copies. At a site,
 * a material is read by the roles its kind is for ({@link Kind#readers()}), or only by police, prosecutors and the site
 * administrator when it is marked for law enforcement only; of its readers, the site administrator, the point of
 * contact and police adopt and adapt. A material another role may not read, or one not meant for the site, reads as
 * missing.
 */
@ProviderType
public interface Materials {
    /** The longest text a version or a copy may hold, in characters. */
    int MAX_CONTENT = 60_000;

    /** Every role held at a site. */
    List<Role> SITE_ROLES = List.of(
            Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.COMMUNITY, Role.SERVICES, Role.RESEARCH, Role.POC);

    /** Who reads a material marked for law enforcement only (as police intelligence, 28 CFR 23.20(e)). */
    List<Role> LAW_ENFORCEMENT = List.of(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN);

    /** Who adopts and adapts, among a material's readers at the site. */
    List<Role> ADAPTERS = List.of(Role.SITE_ADMIN, Role.POC, Role.POLICE);

    /** What a material is, in the programme's words; each kind says which roles at a site read it. */
    enum Kind {
        /** The letter to call-in candidates (Step 6a): read as the letters are, and used for the site's letters. */
        LETTER_TEMPLATE("letter template", List.of(Role.POLICE, Role.PROSECUTOR, Role.POC, Role.SITE_ADMIN)),
        /** What is said at the call-in (Step 7b), by whom: read by those who plan and speak at it. */
        CALL_IN_SCRIPT(
                "call-in script",
                List.of(Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.COMMUNITY, Role.SERVICES, Role.POC)),
        /** How to carry out a step: every role at the site. */
        GUIDE("guide", SITE_ROLES),
        /** What the trainings teach: every role at the site. */
        TRAINING_MATERIAL("training material", SITE_ROLES);

        private final String label;
        private final List<Role> readers;

        Kind(String label, List<Role> readers) {
            this.label = label;
            this.readers = readers;
        }

        public String label() {
            return label;
        }

        /** The site roles that read a material of this kind, unless it is for law enforcement only. */
        public List<Role> readers() {
            return readers;
        }
    }

    /** A version's text: plain text or Markdown (shown as written; letter templates are plain text). */
    enum Format {
        TEXT,
        MARKDOWN
    }

    /** Where a site's copy stands against the national material. */
    enum State {
        /** The site holds no copy. */
        NOT_ADOPTED,
        /** The copy is based on the latest national version (adapted or not). */
        CURRENT,
        /** A national version newer than the one the copy is based on was published. */
        NATIONAL_NEWER,
        /** The TTA team withdrew the material; the site's copy stays. */
        WITHDRAWN
    }

    /** One line of a comparison. */
    enum Change {
        SAME,
        REMOVED,
        ADDED
    }

    // --- national: the TTA roles ---------------------------------------------------------------------------------

    /** Every material, the latest first, with where the sites stand (TTA roles). */
    List<Summary> materials(Caller caller);

    /** One material with its versions, the latest version's text, and each site it is meant for (TTA roles). */
    Material material(long material, Caller caller);

    /**
     * Publishes a new material as its version 1 (TTA roles).
     *
     * @throws org.dmiplatform.api.InvalidInputException naming each field at fault: a title, a kind and a text are
     *     required; a cohort must be one a site is in; a letter template is plain text with only the letter's
     *     placeholders
     */
    Material publish(NewMaterial material, Caller caller);

    /**
     * Publishes the next version (TTA roles).
     *
     * @throws RuleException {@code material-withdrawn} once withdrawn; {@code version-published-meanwhile} when
     *     {@link NewVersion#replaces()} is not the latest version
     * @throws org.dmiplatform.api.InvalidInputException without a note of what changed, or with the latest text unchanged
     */
    Material publishVersion(long material, NewVersion version, Caller caller);

    /**
     * Withdraws a material, with the reason (TTA roles): sites no longer see it unless they hold a copy, which stays.
     *
     * @throws RuleException {@code material-withdrawn} when it already is
     */
    Material withdraw(long material, String reason, Caller caller);

    /** One national version with its text (TTA roles). */
    Version version(long material, int version, Caller caller);

    /** What changed from one national version to another, line by line (TTA roles). */
    Diff compare(long material, int from, int to, Caller caller);

    // --- at a site -----------------------------------------------------------------------------------------------

    /**
     * Refuses, as missing, a material the site may not reach: one neither meant for it (every site, or its cohort) and
     * in force, nor held as a copy by it. The API checks this before anything else on a site's material.
     *
     * @throws java.util.NoSuchElementException when the site may not reach it
     */
    void requireReachable(String site, long material);

    /** The materials the site sees (meant for it, or copied by it) that the caller may read, with their state. */
    SiteMaterials atSite(String site, Caller caller);

    /** One material as the site sees it: the national versions, the site's copies, the texts of both. */
    SiteMaterial atSite(String site, long material, Caller caller);

    /** One national version with its text, as the site reads it. */
    Version version(String site, long material, int version, Caller caller);

    /** One version of the site's copy with its text. */
    Copy copy(String site, long material, int copy, Caller caller);

    /**
     * Adopts a national version into the site (the latest when none is given): a new version of the site's copy with
     * the national text, based on that version. Taking in a newer national version is the same act; earlier copies
     * stay. Adopting a letter template makes it the one the site's letters are made from.
     *
     * @throws RuleException {@code material-withdrawn}, {@code material-not-for-this-site} (the site's cohort is not
     *     the material's), {@code copy-is-current} when the copy already is that version's text
     */
    SiteMaterial adopt(String site, long material, Optional<Integer> version, Caller caller);

    /**
     * Adapts the site's copy: a new version of it with the site's text, based on the same national version.
     *
     * @throws RuleException {@code adapt-after-adopting} before the site adopted it; {@code copy-changed-meanwhile}
     *     when {@link Adaptation#replaces()} is not the site's latest copy
     */
    SiteMaterial adapt(String site, long material, Adaptation adaptation, Caller caller);

    /** What differs between two texts of the material as the site sees them: national versions or its copies. */
    Diff compare(String site, long material, Side from, Side to, Caller caller);

    // --- records -------------------------------------------------------------------------------------------------

    /**
     * @param cohort the cohort it is for, as the sites' settings name it; empty for every site
     * @param lawEnforcementOnly read at a site only by police, prosecutors and the site administrator
     * @param note what it is (optional for the first version)
     */
    record NewMaterial(
            String title,
            Kind kind,
            String cohort,
            boolean lawEnforcementOnly,
            Format format,
            String content,
            String note) {}

    /**
     * @param format as the latest version's when null
     * @param note what changed (required)
     * @param replaces the version the edit started from, if known: refused when another was published meanwhile
     */
    record NewVersion(Format format, String content, String note, Integer replaces) {}

    /**
     * @param note what the site changed (optional)
     * @param replaces the copy the edit started from, if known: refused when the copy changed meanwhile
     */
    record Adaptation(String content, String note, Integer replaces) {}

    /** A national version without its text. */
    record VersionInfo(int number, Format format, String note, String publishedBy, Instant publishedAt) {}

    /** A national version with its text. */
    record Version(
            long material,
            int number,
            Format format,
            String content,
            String note,
            String publishedBy,
            Instant publishedAt) {}

    record Withdrawal(String reason, String withdrawnBy, Instant withdrawnAt) {}

    /**
     * A version of a site's copy without its text.
     *
     * @param basedOn the national version it is based on
     * @param adoption true when it took the national text in (adopting); false for an edit of the site's
     * @param adapted true when its text differs from the national version it is based on
     */
    record CopyInfo(
            int number, int basedOn, boolean adoption, boolean adapted, String note, String madeBy, Instant madeAt) {}

    /** A version of a site's copy with its text. */
    record Copy(long material, String site, CopyInfo info, Format format, String content) {}

    /**
     * Where a site stands on a material: its latest copy, if any, and the national versions newer than the one the
     * copy is based on.
     *
     * @param usedForLetters for a letter template: the site's letters are made from this copy
     */
    record SiteState(
            String site,
            String siteName,
            State state,
            Optional<CopyInfo> copy,
            List<VersionInfo> newer,
            boolean usedForLetters) {
        public SiteState {
            newer = List.copyOf(newer);
        }
    }

    /**
     * A material in a list.
     *
     * @param cohort empty when meant for every site
     * @param sitesMeant how many sites it is meant for; {@code sitesAdopted} hold a copy, {@code sitesCurrent} of the
     *     latest version (zero in a site's list)
     */
    record Summary(
            long id,
            String title,
            Kind kind,
            String cohort,
            boolean lawEnforcementOnly,
            VersionInfo latest,
            Optional<Withdrawal> withdrawn,
            int sitesMeant,
            int sitesAdopted,
            int sitesCurrent) {}

    /** A material for the TTA team: its versions (the latest first), the latest text, and each site's state. */
    record Material(
            Summary summary,
            String createdBy,
            Instant createdAt,
            List<VersionInfo> versions,
            Version latest,
            List<SiteState> sites) {
        public Material {
            versions = List.copyOf(versions);
            sites = List.copyOf(sites);
        }
    }

    /** The site's list: each material with where the site stands, in the site's time zone's terms. */
    record SiteMaterials(String site, String timeZone, String cohort, List<SiteSummary> materials) {
        public SiteMaterials {
            materials = List.copyOf(materials);
        }
    }

    record SiteSummary(Summary material, SiteState state) {}

    /**
     * One material at a site: the national versions (the latest first) and the latest text, the site's copies (the
     * latest first) and the latest copy's text.
     */
    record SiteMaterial(
            String timeZone,
            Summary material,
            SiteState state,
            List<VersionInfo> versions,
            Version latest,
            List<CopyInfo> copies,
            Optional<Copy> current,
            boolean mayAdapt) {
        public SiteMaterial {
            versions = List.copyOf(versions);
            copies = List.copyOf(copies);
        }
    }

    /** One side of a comparison at a site: a national version, or a version of the site's copy. */
    record Side(boolean copy, int number) {
        public static Side national(int version) {
            return new Side(false, version);
        }

        public static Side copy(int number) {
            return new Side(true, number);
        }

        @Override
        public String toString() {
            return copy ? "the site's copy " + number : "national v" + number;
        }
    }

    /**
     * A line comparison of two texts, as hunks with three lines of context around each change.
     *
     * @param from what the comparison starts from ("national v2"), {@code to} what it ends at
     * @param added lines only in {@code to}; {@code removed} lines only in {@code from}
     */
    record Diff(String from, String to, int added, int removed, List<Hunk> hunks) {
        public Diff {
            hunks = List.copyOf(hunks);
        }

        public boolean same() {
            return added == 0 && removed == 0;
        }
    }

    /**
     * @param fromLine the first line of the hunk in {@code from} (1-based), {@code fromLines} how many it spans there;
     *     likewise in {@code to}
     */
    record Hunk(int fromLine, int fromLines, int toLine, int toLines, List<Line> lines) {
        public Hunk {
            lines = List.copyOf(lines);
        }
    }

    record Line(Change change, String text) {}
}
