package org.dmiplatform.core.internal.programme;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Materials;
import org.dmiplatform.api.programme.RuleException;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The shared materials on the platform's store: nothing written here is changed or deleted (the store's triggers
 * refuse it too). A version is numbered under a lock on its material, so two publishers or two editors at a site
 * number theirs one after the other.
 */
@Component(service = Materials.class)
public class MaterialsImpl implements Materials {
    /** Who publishes, versions and withdraws, and reads every material and every site's copies. */
    static final Role[] NATIONAL = {Role.TTA_ADMIN, Role.TTA_STAFF};

    private static final String SOURCE = "material";

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Clock clock;

    @Activate
    public MaterialsImpl(@Reference Database database, @Reference AuditLog audit, @Reference Sites sites) {
        this(database, audit, sites, Clock.systemUTC());
    }

    public MaterialsImpl(Database database, AuditLog audit, Sites sites, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.clock = clock;
    }

    /** A material as stored, without its versions. */
    private record Row(
            long id,
            Kind kind,
            String title,
            String cohort,
            boolean lawEnforcementOnly,
            String createdBy,
            Instant createdAt) {
        boolean meantFor(Site site) {
            return cohort.isEmpty() || cohort.equals(site.cohort());
        }

        /** The site roles that read it. */
        List<Role> readers() {
            return lawEnforcementOnly
                    ? kind.readers().stream().filter(LAW_ENFORCEMENT::contains).toList()
                    : kind.readers();
        }
    }

    /** Everything about the materials needed for lists, read in a few queries. */
    private record Store(
            List<Row> rows,
            Map<Long, List<VersionInfo>> versions,
            Map<Long, Withdrawal> withdrawals,
            Map<String, Map<Long, CopyInfo>> latestCopies,
            Map<String, Long> letterInUse) {
        List<VersionInfo> versionsOf(long material) {
            return versions.getOrDefault(material, List.of());
        }

        Optional<CopyInfo> copyOf(String site, long material) {
            return Optional.ofNullable(latestCopies.getOrDefault(site, Map.of()).get(material));
        }
    }

    // --- national -------------------------------------------------------------------------------------------------

    @Override
    public List<Summary> materials(Caller caller) {
        requireNational(caller, "reading the materials");
        List<Site> all = sites.list();
        Store store = database.read(c -> store(c, Optional.empty()));
        return store.rows().stream().map(r -> summary(r, store, all)).toList();
    }

    @Override
    public Material material(long material, Caller caller) {
        requireNational(caller, "reading a material");
        return database.read(c -> detail(c, material));
    }

    private Material detail(Connection c, long material) throws SQLException {
        Row row = row(c, material).orElseThrow(() -> missing(material));
        List<Site> all = sites.list();
        Store store = store(c, Optional.of(material));
        List<SiteState> states = new ArrayList<>();
        for (Site site : all) {
            Optional<CopyInfo> copy = store.copyOf(site.id(), material);
            if (row.meantFor(site) || copy.isPresent()) {
                states.add(state(row, site, store));
            }
        }
        return new Material(
                summary(row, store, all),
                row.createdBy(),
                row.createdAt(),
                store.versionsOf(material),
                latest(c, material),
                states);
    }

    @Override
    public Material publish(NewMaterial input, Caller caller) {
        requireNational(caller, "publishing a material");
        Check check = new Check(SOURCE);
        NewMaterial in = input == null ? new NewMaterial(null, null, null, false, null, null, null) : input;
        String title = check.text("title", in.title(), 200);
        Kind kind = check.required("kind", in.kind());
        String cohort = check.optional("cohort", in.cohort(), 100);
        if (!cohort.isEmpty()) {
            Set<String> cohorts = new TreeSet<>();
            sites.list().forEach(s -> {
                if (!s.cohort().isEmpty()) {
                    cohorts.add(s.cohort());
                }
            });
            if (!cohorts.contains(cohort)) {
                check.fail(
                        "cohort",
                        "no site is in the cohort '" + cohort + "'; "
                                + (cohorts.isEmpty()
                                        ? "no site has a cohort yet: leave it empty for every site"
                                        : "the sites' cohorts are " + String.join(", ", cohorts)
                                                + ", or leave it empty for every site"));
            }
        }
        Format format = in.format() == null ? Format.TEXT : in.format();
        String content = content(check, kind, format, in.content());
        String note = check.optional("note", in.note(), 1000);
        check.done();
        Instant now = clock.instant();
        long id = database.transaction(c -> {
            long created = Sql.insert(
                    c,
                    "INSERT INTO materials (kind, title, cohort, law_enforcement_only, created_by, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)",
                    kind,
                    title,
                    cohort,
                    in.lawEnforcementOnly(),
                    caller.user().username(),
                    now);
            insertVersion(c, created, 1, format, content, note, caller, now);
            return created;
        });
        Records.audit(
                audit,
                caller,
                "",
                "material.publish",
                "material:" + id,
                "v1 " + kind.label() + (cohort.isEmpty() ? " for every site" : " for the cohort " + cohort));
        return database.read(c -> detail(c, id));
    }

    @Override
    public Material publishVersion(long material, NewVersion input, Caller caller) {
        requireNational(caller, "publishing a new version of a material");
        NewVersion in = input == null ? new NewVersion(null, null, null, null) : input;
        Check check = new Check(SOURCE);
        String note = check.text("note", in.note(), 1000);
        Instant now = clock.instant();
        int number = database.transaction(c -> {
            Row row = lock(c, material);
            if (withdrawal(c, material).isPresent()) {
                throw new RuleException(
                        "material-withdrawn",
                        "'" + row.title() + "' was withdrawn; it gets no new version. Publish a new material instead.");
            }
            Version latest = latest(c, material);
            if (in.replaces() != null && in.replaces() != latest.number()) {
                throw new RuleException(
                        "version-published-meanwhile",
                        "Version " + latest.number() + " of '" + row.title() + "' was published meanwhile by "
                                + latest.publishedBy() + ": compare it with yours, then publish again.");
            }
            Format format = in.format() == null ? latest.format() : in.format();
            String content = content(check, row.kind(), format, in.content());
            if (!check.failed() && content.equals(latest.content()) && format == latest.format()) {
                check.fail("content", "is the same as version " + latest.number() + ": nothing changed");
            }
            check.done();
            insertVersion(c, material, latest.number() + 1, format, content, note, caller, now);
            return latest.number() + 1;
        });
        Records.audit(audit, caller, "", "material.version", "material:" + material, "v" + number);
        return database.read(c -> detail(c, material));
    }

    @Override
    public Material withdraw(long material, String reason, Caller caller) {
        requireNational(caller, "withdrawing a material");
        Check check = new Check(SOURCE);
        String why = check.text("reason", reason, 1000);
        check.done();
        Instant now = clock.instant();
        database.transaction(c -> {
            Row row = lock(c, material);
            Optional<Withdrawal> earlier = withdrawal(c, material);
            if (earlier.isPresent()) {
                throw new RuleException(
                        "material-withdrawn",
                        "'" + row.title() + "' was already withdrawn by "
                                + earlier.get().withdrawnBy() + ": "
                                + earlier.get().reason());
            }
            return Sql.update(
                    c,
                    "INSERT INTO material_withdrawals (material_id, reason, withdrawn_by, withdrawn_at)"
                            + " VALUES (?, ?, ?, ?)",
                    material,
                    why,
                    caller.user().username(),
                    now);
        });
        Records.audit(audit, caller, "", "material.withdraw", "material:" + material, "");
        return database.read(c -> detail(c, material));
    }

    @Override
    public Version version(long material, int version, Caller caller) {
        requireNational(caller, "reading a material");
        return database.read(c -> {
            row(c, material).orElseThrow(() -> missing(material));
            return version(c, material, version);
        });
    }

    @Override
    public Diff compare(long material, int from, int to, Caller caller) {
        requireNational(caller, "comparing versions of a material");
        return database.read(c -> {
            row(c, material).orElseThrow(() -> missing(material));
            Version a = version(c, material, from);
            Version b = version(c, material, to);
            return LineDiff.of("national v" + from, a.content(), "national v" + to, b.content());
        });
    }

    // --- at a site ------------------------------------------------------------------------------------------------

    @Override
    public void requireReachable(String site, long material) {
        Site where = site(site);
        database.read(c -> reachable(c, where, material));
    }

    /** The material when the site may reach it: meant for it and in force, or copied by it. */
    private static Row reachable(Connection c, Site site, long material) throws SQLException {
        Optional<Row> row = row(c, material);
        if (row.isPresent()) {
            boolean copied = Sql.one(
                            c,
                            "SELECT id FROM material_copies WHERE site_id = ? AND material_id = ?",
                            rs -> rs.getLong(1),
                            site.id(),
                            material)
                    .isPresent();
            if (copied || (row.get().meantFor(site) && withdrawal(c, material).isEmpty())) {
                return row.get();
            }
        }
        throw new NoSuchElementException("no material " + material + " at " + site.id());
    }

    /** The material for the caller at the site: one they may not read reads as missing. */
    private static Row readable(Connection c, Site site, long material, Caller caller) throws SQLException {
        Row row = reachable(c, site, material);
        if (!reads(caller, site.id(), row)) {
            throw new NoSuchElementException("no material " + material + " at " + site.id() + " for you");
        }
        return row;
    }

    private static boolean reads(Caller caller, String site, Row row) {
        return caller.holdsAt(site, NATIONAL)
                || caller.holdsAt(site, row.readers().toArray(Role[]::new));
    }

    private static boolean adapts(Caller caller, String site, Row row) {
        return caller.holdsAt(
                site, row.readers().stream().filter(ADAPTERS::contains).toArray(Role[]::new));
    }

    @Override
    public SiteMaterials atSite(String site, Caller caller) {
        caller.require(site, "reading the site's materials", Role.values());
        Site where = site(site);
        Store store = database.read(c -> store(c, Optional.empty()));
        List<SiteSummary> out = new ArrayList<>();
        for (Row row : store.rows()) {
            boolean copied = store.copyOf(site, row.id()).isPresent();
            boolean inForce = row.meantFor(where) && !store.withdrawals().containsKey(row.id());
            if ((copied || inForce) && reads(caller, site, row)) {
                out.add(new SiteSummary(siteSummary(row, store), state(row, where, store)));
            }
        }
        out.sort(Comparator.comparing((SiteSummary s) -> s.material().kind())
                .thenComparing(s -> s.material().title().toLowerCase(java.util.Locale.ROOT))
                .thenComparing(s -> s.material().id()));
        return new SiteMaterials(site, where.timeZone().getId(), where.cohort(), out);
    }

    @Override
    public SiteMaterial atSite(String site, long material, Caller caller) {
        caller.require(site, "reading the site's materials", Role.values());
        Site where = site(site);
        return database.read(c -> siteMaterial(c, where, material, caller));
    }

    private SiteMaterial siteMaterial(Connection c, Site site, long material, Caller caller) throws SQLException {
        Row row = readable(c, site, material, caller);
        Store store = store(c, Optional.of(material));
        List<CopyInfo> copies = Sql.list(
                c,
                "SELECT * FROM material_copies WHERE site_id = ? AND material_id = ? ORDER BY copy_number DESC",
                MaterialsImpl::copyInfo,
                site.id(),
                material);
        Optional<Copy> current = copies.isEmpty()
                ? Optional.empty()
                : Optional.of(copy(c, site.id(), material, copies.get(0).number()));
        return new SiteMaterial(
                site.timeZone().getId(),
                siteSummary(row, store),
                state(row, site, store),
                store.versionsOf(material),
                latest(c, material),
                copies,
                current,
                adapts(caller, site.id(), row));
    }

    @Override
    public Version version(String site, long material, int version, Caller caller) {
        caller.require(site, "reading the site's materials", Role.values());
        Site where = site(site);
        return database.read(c -> {
            readable(c, where, material, caller);
            return version(c, material, version);
        });
    }

    @Override
    public Copy copy(String site, long material, int copy, Caller caller) {
        caller.require(site, "reading the site's materials", Role.values());
        Site where = site(site);
        return database.read(c -> {
            readable(c, where, material, caller);
            return copy(c, site, material, copy);
        });
    }

    @Override
    public SiteMaterial adopt(String site, long material, Optional<Integer> version, Caller caller) {
        caller.require(site, "adopting a material", ADAPTERS.toArray(Role[]::new));
        Site where = site(site);
        Instant now = clock.instant();
        int[] made = database.transaction(c -> {
            Row row = readable(c, where, material, caller);
            requireAdapter(caller, where, row);
            lock(c, material);
            Optional<Withdrawal> withdrawn = withdrawal(c, material);
            if (withdrawn.isPresent()) {
                throw new RuleException(
                        "material-withdrawn",
                        "'" + row.title() + "' was withdrawn by the TTA team: "
                                + withdrawn.get().reason() + " The site's copies stay; it is not adopted again.");
            }
            if (!row.meantFor(where)) {
                throw new RuleException(
                        "material-not-for-this-site",
                        "'" + row.title() + "' is published for the cohort " + row.cohort() + "; " + site
                                + (where.cohort().isEmpty() ? " is in no cohort" : " is in " + where.cohort())
                                + ". The site's copies stay.");
            }
            Version latest = latest(c, material);
            int wanted = version.orElse(latest.number());
            if (wanted < 1 || wanted > latest.number()) {
                throw new org.dmiplatform.api.InvalidInputException(InputError.of(
                        SOURCE,
                        "version",
                        "must be a version of '" + row.title() + "': 1 to " + latest.number() + " (the latest)"));
            }
            Version taken = version(c, material, wanted);
            Optional<CopyInfo> last = latestCopy(c, site, material);
            if (last.isPresent()
                    && last.get().basedOn() == wanted
                    && !last.get().adapted()) {
                throw new RuleException(
                        "copy-is-current",
                        "The site's copy " + last.get().number() + " of '" + row.title() + "' is national v" + wanted
                                + " as published: there is nothing to take in.");
            }
            int number = last.map(l -> l.number() + 1).orElse(1);
            insertCopy(
                    c,
                    site,
                    material,
                    number,
                    wanted,
                    true,
                    false,
                    taken.format(),
                    taken.content(),
                    last.isEmpty() ? "Adopted national v" + wanted : "Took in national v" + wanted,
                    caller,
                    now);
            return new int[] {number, wanted};
        });
        Records.audit(
                audit, caller, site, "material.adopt", "material:" + material, "copy " + made[0] + " of v" + made[1]);
        return database.read(c -> siteMaterial(c, where, material, caller));
    }

    @Override
    public SiteMaterial adapt(String site, long material, Adaptation input, Caller caller) {
        caller.require(site, "adapting a material", ADAPTERS.toArray(Role[]::new));
        Site where = site(site);
        Adaptation in = input == null ? new Adaptation(null, null, null) : input;
        Check check = new Check(SOURCE);
        String note = check.optional("note", in.note(), 1000);
        Instant now = clock.instant();
        int made = database.transaction(c -> {
            Row row = readable(c, where, material, caller);
            requireAdapter(caller, where, row);
            lock(c, material);
            CopyInfo last = latestCopy(c, site, material)
                    .orElseThrow(() -> new RuleException(
                            "adapt-after-adopting",
                            "The site holds no copy of '" + row.title() + "' yet: adopt it first, then adapt the"
                                    + " copy."));
            if (in.replaces() != null && in.replaces() != last.number()) {
                throw new RuleException(
                        "copy-changed-meanwhile",
                        "The site's copy of '" + row.title() + "' is at " + last.number() + " now (by "
                                + last.madeBy() + "), not " + in.replaces()
                                + ": compare it with yours, then save again.");
            }
            Copy current = copy(c, site, material, last.number());
            String content = content(check, row.kind(), current.format(), in.content());
            if (!check.failed() && content.equals(current.content())) {
                check.fail("content", "is the same as the site's copy " + last.number() + ": nothing changed");
            }
            check.done();
            Version base = version(c, material, last.basedOn());
            insertCopy(
                    c,
                    site,
                    material,
                    last.number() + 1,
                    last.basedOn(),
                    false,
                    !content.equals(base.content()),
                    current.format(),
                    content,
                    note,
                    caller,
                    now);
            return last.number() + 1;
        });
        Records.audit(audit, caller, site, "material.adapt", "material:" + material, "copy " + made);
        return database.read(c -> siteMaterial(c, where, material, caller));
    }

    @Override
    public Diff compare(String site, long material, Side from, Side to, Caller caller) {
        caller.require(site, "reading the site's materials", Role.values());
        Site where = site(site);
        return database.read(c -> {
            readable(c, where, material, caller);
            Version latest = latest(c, material);
            Optional<CopyInfo> last = latestCopy(c, site, material);
            Side a = from != null
                    ? from
                    : Side.national(last.map(CopyInfo::basedOn).orElse(Math.max(1, latest.number() - 1)));
            Side b = to != null ? to : Side.national(latest.number());
            return LineDiff.of(
                    label(c, site, material, a),
                    text(c, site, material, a),
                    label(c, site, material, b),
                    text(c, site, material, b));
        });
    }

    private static String text(Connection c, String site, long material, Side side) throws SQLException {
        return side.copy()
                ? copy(c, site, material, side.number()).content()
                : version(c, material, side.number()).content();
    }

    private static String label(Connection c, String site, long material, Side side) throws SQLException {
        if (!side.copy()) {
            return "national v" + side.number();
        }
        CopyInfo info = copy(c, site, material, side.number()).info();
        return "the site's copy " + info.number() + " (based on national v" + info.basedOn() + ")";
    }

    // --- the letter ------------------------------------------------------------------------------------------------

    /**
     * The template the site's letters are made from: its copy of the letter template it adopted last (adopting or
     * taking in a version), as last adapted; empty when it adopted none, and the platform's own template serves.
     */
    static Optional<LetterTemplate> letterTemplate(Connection c, String site) throws SQLException {
        Optional<Long> material = letterInUse(c, site);
        if (material.isEmpty()) {
            return Optional.empty();
        }
        Optional<CopyInfo> last = latestCopy(c, site, material.get());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Copy copy = copy(c, site, material.get(), last.get().number());
        return Optional.of(new LetterTemplate(
                "material-" + material.get() + " copy " + last.get().number() + " of v"
                        + last.get().basedOn(),
                copy.content()));
    }

    private static Optional<Long> letterInUse(Connection c, String site) throws SQLException {
        return Sql.one(
                c,
                "SELECT c.material_id FROM material_copies c JOIN materials m ON m.id = c.material_id"
                        + " WHERE c.site_id = ? AND c.adoption = ? AND m.kind = ? ORDER BY c.id DESC",
                rs -> rs.getLong(1),
                site,
                true,
                Kind.LETTER_TEMPLATE);
    }

    // --- checks ---------------------------------------------------------------------------------------------------

    private static void requireNational(Caller caller, String what) {
        if (caller.user().grants().stream().noneMatch(g -> g.role() == Role.TTA_ADMIN || g.role() == Role.TTA_STAFF)) {
            throw new org.dmiplatform.api.access.AccessDeniedException(
                    what + " needs one of the roles [tta-admin, tta-staff]");
        }
    }

    private static void requireAdapter(Caller caller, Site site, Row row) {
        if (!adapts(caller, site.id(), row)) {
            throw new org.dmiplatform.api.access.AccessDeniedException(
                    "adopting and adapting a " + row.kind().label() + " needs one of the roles "
                            + row.readers().stream().filter(ADAPTERS::contains).toList() + " at " + site.id());
        }
    }

    /**
     * The text of a version or a copy: required, at most {@link #MAX_CONTENT} characters, no control characters
     * (tabs and line breaks aside); line breaks made {@code \n} and trailing blanks taken off. A letter template is
     * plain text with only the placeholders the letter fills.
     */
    static String content(Check check, Kind kind, Format format, String value) {
        String text = value == null
                ? ""
                : value.replace("\r\n", "\n").replace('\r', '\n').stripTrailing();
        if (text.isBlank()) {
            check.fail("content", "is required");
            return text;
        }
        if (text.length() > MAX_CONTENT) {
            check.fail("content", "must be at most " + MAX_CONTENT + " characters; it has " + text.length());
            return text;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int bad = lines[i].codePoints()
                    .filter(cp -> (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
                    .findFirst()
                    .orElse(-1);
            if (bad >= 0) {
                check.fail(new InputError(
                        SOURCE,
                        i + 1,
                        "content",
                        String.format("holds the control character U+%04X: only text, tabs and line breaks", bad)));
                return text;
            }
        }
        if (kind == Kind.LETTER_TEMPLATE) {
            if (format != Format.TEXT) {
                check.fail("format", "a letter template is plain text (text): its paragraphs become the letter");
            }
            LetterTemplate.problems(SOURCE, "content", text).forEach(check::fail);
        }
        return text;
    }

    // --- storage ----------------------------------------------------------------------------------------------------

    private Site site(String site) {
        return sites.find(site).orElseThrow(() -> new NoSuchElementException("no site '" + site + "'"));
    }

    private static NoSuchElementException missing(long material) {
        return new NoSuchElementException("no material " + material);
    }

    private static Optional<Row> row(Connection c, long material) throws SQLException {
        return Sql.one(c, "SELECT * FROM materials WHERE id = ?", MaterialsImpl::row, material);
    }

    /** The material, locked until the transaction ends: versions and copies of it are numbered one at a time. */
    private Row lock(Connection c, long material) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT * FROM materials WHERE id = ?"
                                + database.dialect().forUpdate(),
                        MaterialsImpl::row,
                        material)
                .orElseThrow(() -> missing(material));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong("id"),
                Kind.valueOf(rs.getString("kind")),
                rs.getString("title"),
                rs.getString("cohort"),
                rs.getBoolean("law_enforcement_only"),
                rs.getString("created_by"),
                Sql.instant(rs, "created_at"));
    }

    private static VersionInfo versionInfo(ResultSet rs) throws SQLException {
        return new VersionInfo(
                rs.getInt("version"),
                Format.valueOf(rs.getString("format")),
                rs.getString("note"),
                rs.getString("published_by"),
                Sql.instant(rs, "published_at"));
    }

    private static Version version(Connection c, long material, int version) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT * FROM material_versions WHERE material_id = ? AND version = ?",
                        rs -> new Version(
                                material,
                                rs.getInt("version"),
                                Format.valueOf(rs.getString("format")),
                                rs.getString("content"),
                                rs.getString("note"),
                                rs.getString("published_by"),
                                Sql.instant(rs, "published_at")),
                        material,
                        version)
                .orElseThrow(() -> new NoSuchElementException("no version " + version + " of material " + material));
    }

    private static Version latest(Connection c, long material) throws SQLException {
        int number = Sql.one(
                        c,
                        "SELECT MAX(version) FROM material_versions WHERE material_id = ?",
                        rs -> rs.getInt(1),
                        material)
                .orElseThrow(() -> missing(material));
        return version(c, material, number);
    }

    private static Optional<Withdrawal> withdrawal(Connection c, long material) throws SQLException {
        return Sql.one(
                c, "SELECT * FROM material_withdrawals WHERE material_id = ?", MaterialsImpl::withdrawal, material);
    }

    private static Withdrawal withdrawal(ResultSet rs) throws SQLException {
        return new Withdrawal(rs.getString("reason"), rs.getString("withdrawn_by"), Sql.instant(rs, "withdrawn_at"));
    }

    private static CopyInfo copyInfo(ResultSet rs) throws SQLException {
        return new CopyInfo(
                rs.getInt("copy_number"),
                rs.getInt("based_on"),
                rs.getBoolean("adoption"),
                rs.getBoolean("adapted"),
                rs.getString("note"),
                rs.getString("made_by"),
                Sql.instant(rs, "made_at"));
    }

    private static Optional<CopyInfo> latestCopy(Connection c, String site, long material) throws SQLException {
        return Sql.one(
                c,
                "SELECT * FROM material_copies WHERE site_id = ? AND material_id = ? ORDER BY copy_number DESC",
                MaterialsImpl::copyInfo,
                site,
                material);
    }

    private static Copy copy(Connection c, String site, long material, int number) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT * FROM material_copies WHERE site_id = ? AND material_id = ? AND copy_number = ?",
                        rs -> new Copy(
                                material,
                                site,
                                copyInfo(rs),
                                Format.valueOf(rs.getString("format")),
                                rs.getString("content")),
                        site,
                        material,
                        number)
                .orElseThrow(() ->
                        new NoSuchElementException("no copy " + number + " of material " + material + " at " + site));
    }

    private static void insertVersion(
            Connection c,
            long material,
            int number,
            Format format,
            String content,
            String note,
            Caller caller,
            Instant now)
            throws SQLException {
        Sql.update(
                c,
                "INSERT INTO material_versions (material_id, version, format, content, note, published_by,"
                        + " published_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                material,
                number,
                format,
                content,
                note,
                caller.user().username(),
                now);
    }

    private static void insertCopy(
            Connection c,
            String site,
            long material,
            int number,
            int basedOn,
            boolean adoption,
            boolean adapted,
            Format format,
            String content,
            String note,
            Caller caller,
            Instant now)
            throws SQLException {
        Sql.insert(
                c,
                "INSERT INTO material_copies (site_id, material_id, copy_number, based_on, adoption, adapted, format,"
                        + " content, note, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                site,
                material,
                number,
                basedOn,
                adoption,
                adapted,
                format,
                content,
                note,
                caller.user().username(),
                now);
    }

    /** The materials (one, or all), their versions and withdrawals, each site's latest copies, letters in use. */
    private static Store store(Connection c, Optional<Long> only) throws SQLException {
        String where = only.isPresent() ? " WHERE material_id = ?" : "";
        Object[] args = only.map(id -> new Object[] {id}).orElse(new Object[0]);
        List<Row> rows = Sql.list(
                c,
                "SELECT * FROM materials" + (only.isPresent() ? " WHERE id = ?" : "") + " ORDER BY id DESC",
                MaterialsImpl::row,
                args);
        Map<Long, List<VersionInfo>> versions = new HashMap<>();
        Sql.list(
                c,
                "SELECT material_id, version, format, note, published_by, published_at FROM material_versions" + where
                        + " ORDER BY material_id, version DESC",
                rs -> versions.computeIfAbsent(rs.getLong("material_id"), k -> new ArrayList<>())
                        .add(versionInfo(rs)),
                args);
        Map<Long, Withdrawal> withdrawals = new HashMap<>();
        Sql.list(
                c,
                "SELECT * FROM material_withdrawals" + where,
                rs -> withdrawals.put(rs.getLong("material_id"), withdrawal(rs)),
                args);
        Map<String, Map<Long, CopyInfo>> copies = new HashMap<>();
        Sql.list(
                c,
                "SELECT * FROM material_copies WHERE id IN (SELECT MAX(id) FROM material_copies" + where
                        + " GROUP BY site_id, material_id)",
                rs -> copies.computeIfAbsent(rs.getString("site_id"), k -> new HashMap<>())
                        .put(rs.getLong("material_id"), copyInfo(rs)),
                args);
        Map<String, Long> letters = new HashMap<>();
        Sql.list(
                c,
                "SELECT c.site_id, c.material_id FROM material_copies c WHERE c.id IN (SELECT MAX(x.id) FROM"
                        + " material_copies x JOIN materials m ON m.id = x.material_id WHERE x.adoption = ? AND"
                        + " m.kind = ? GROUP BY x.site_id)",
                rs -> letters.put(rs.getString(1), rs.getLong(2)),
                true,
                Kind.LETTER_TEMPLATE);
        return new Store(rows, versions, withdrawals, copies, letters);
    }

    private static VersionInfo latestOf(Row row, Store store) {
        List<VersionInfo> versions = store.versionsOf(row.id());
        if (versions.isEmpty()) {
            throw new IllegalStateException("material " + row.id() + " has no version");
        }
        return versions.get(0);
    }

    private static Summary summary(Row row, Store store, List<Site> all) {
        VersionInfo latest = latestOf(row, store);
        int meant = 0;
        Set<String> adopted = new LinkedHashSet<>();
        int current = 0;
        for (Site site : all) {
            if (row.meantFor(site)) {
                meant++;
            }
        }
        for (Map.Entry<String, Map<Long, CopyInfo>> site : store.latestCopies().entrySet()) {
            CopyInfo copy = site.getValue().get(row.id());
            if (copy != null) {
                adopted.add(site.getKey());
                if (copy.basedOn() == latest.number()) {
                    current++;
                }
            }
        }
        return new Summary(
                row.id(),
                row.title(),
                row.kind(),
                row.cohort(),
                row.lawEnforcementOnly(),
                latest,
                Optional.ofNullable(store.withdrawals().get(row.id())),
                meant,
                adopted.size(),
                current);
    }

    /** As a site's list shows it: nothing of the other sites. */
    private static Summary siteSummary(Row row, Store store) {
        return new Summary(
                row.id(),
                row.title(),
                row.kind(),
                row.cohort(),
                row.lawEnforcementOnly(),
                latestOf(row, store),
                Optional.ofNullable(store.withdrawals().get(row.id())),
                0,
                0,
                0);
    }

    private static SiteState state(Row row, Site site, Store store) {
        Optional<CopyInfo> copy = store.copyOf(site.id(), row.id());
        List<VersionInfo> versions = store.versionsOf(row.id());
        VersionInfo latest = versions.get(0);
        State state;
        List<VersionInfo> newer = List.of();
        if (copy.isEmpty()) {
            state = State.NOT_ADOPTED;
        } else if (store.withdrawals().containsKey(row.id())) {
            state = State.WITHDRAWN;
        } else if (copy.get().basedOn() < latest.number()) {
            state = State.NATIONAL_NEWER;
            int base = copy.get().basedOn();
            newer = versions.stream()
                    .filter(v -> v.number() > base)
                    .sorted(Comparator.comparingInt(VersionInfo::number))
                    .toList();
        } else {
            state = State.CURRENT;
        }
        boolean letters = row.kind() == Kind.LETTER_TEMPLATE
                && Long.valueOf(row.id()).equals(store.letterInUse().get(site.id()));
        return new SiteState(site.id(), site.name(), state, copy, newer, letters);
    }
}
