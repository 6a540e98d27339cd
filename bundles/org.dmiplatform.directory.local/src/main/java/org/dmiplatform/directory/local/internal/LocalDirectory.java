package org.dmiplatform.directory.local.internal;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.directory.listing.DataFolder;
import org.dmiplatform.directory.listing.Directory;
import org.dmiplatform.directory.listing.DirectoryFiles;
import org.dmiplatform.directory.listing.Listing;
import org.dmiplatform.directory.listing.ProgrammeTerms;
import org.dmiplatform.directory.listing.Search;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A site's own directory, edited service by service in the console, for a site without an HSDS source or beside one
 * (the platform combines them). It keeps its services as the HSDS directory keeps an import, in
 * {@code <data>/sites/<site>/directory-local/}, each filed under the programme's own taxonomy (its categories are
 * chosen, not derived), and exports them as HSDS 3.0 like any directory. Saving a service verifies it as of today.
 */
@Component(
        service = ServiceDirectory.class,
        configurationPid = LocalDirectory.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=" + ServiceDirectory.KIND, "dmi.plugin.name=local"})
@Designate(ocd = LocalDirectory.Config.class, factory = true)
public class LocalDirectory implements ServiceDirectory {
    static final String PID = "org.dmiplatform.directory.local";

    @ObjectClassDefinition(name = "DMI local service directory")
    public @interface Config {
        @AttributeDefinition(description = "the site this plug-in serves (written by provisioning)")
        String dmi_site();
    }

    private final DirectoryFiles files;
    private final Clock clock;
    private volatile String site;

    @Activate
    public LocalDirectory(BundleContext context, Config config) {
        this(DataFolder.of(context), Clock.systemUTC());
        modified(config);
    }

    LocalDirectory(Path data, Clock clock) {
        this.files = new DirectoryFiles(data, "directory-local");
        this.clock = clock;
    }

    @Modified
    void modified(Config config) {
        this.site = config.dmi_site();
    }

    private void serves(Site asked) {
        DataFolder.serves(site, asked, "local directory");
    }

    @Override
    public boolean edits() {
        return true;
    }

    @Override
    public String describe(Site site) {
        serves(site);
        Optional<Directory> d = files.read(site.id());
        int n = d.map(x -> x.services().size()).orElse(0);
        return "Local directory, " + n + (n == 1 ? " service" : " services")
                + d.map(x -> ", last changed " + LocalDate.ofInstant(Instant.parse(x.importedAt()), site.timeZone()))
                        .orElse("");
    }

    private List<DirectoryService> all(String site) {
        List<DirectoryService> out = new ArrayList<>();
        for (Listing l : files.read(site).map(Directory::services).orElse(List.of())) {
            out.add(l.toService(ProgrammeTerms.categories(l)));
        }
        return out;
    }

    @Override
    public List<DirectoryService> search(Site site, DirectoryQuery query, Caller caller) {
        serves(site);
        caller.require(site.id(), "searching the site's service directory", DataFolder.READERS);
        return Search.run(all(site.id()), query);
    }

    @Override
    public Optional<DirectoryService> find(Site site, String id, Caller caller) {
        serves(site);
        caller.require(site.id(), "reading the site's service directory", DataFolder.READERS);
        return all(site.id()).stream().filter(s -> s.id().equals(id)).findFirst();
    }

    @Override
    public void exportHsds(Site site, OutputStream out, Caller caller) {
        serves(site);
        caller.require(site.id(), "exporting the site's service directory", DataFolder.READERS);
        files.exportHsds(site.id(), out);
    }

    @Override
    public DirectoryService save(Site site, DirectoryService service, Caller caller) {
        serves(site);
        caller.require(site.id(), "editing the site's service directory", DataFolder.KEEPERS);
        String id = service.id().isBlank() ? UUID.randomUUID().toString() : service.id();
        Listing listing = listing(site, id, service, LocalDate.now(clock.withZone(site.timeZone())));
        files.update(site.id(), current -> {
            List<Listing> now = new ArrayList<>(current.map(Directory::services).orElse(List.of()));
            int at = -1;
            for (int i = 0; i < now.size(); i++) {
                if (now.get(i).id().equals(id)) {
                    at = i;
                }
            }
            if (!service.id().isBlank() && at < 0) {
                throw new NoSuchElementException(
                        "the local directory of " + site.id() + " has no service '" + id + "'");
            }
            if (at < 0) {
                now.add(listing);
            } else {
                now.set(at, listing);
            }
            return new Directory("Local", "console", clock.instant().toString(), now);
        });
        return listing.toService(ProgrammeTerms.categories(listing));
    }

    @Override
    public void remove(Site site, String id, Caller caller) {
        serves(site);
        caller.require(site.id(), "editing the site's service directory", DataFolder.KEEPERS);
        files.update(site.id(), current -> {
            List<Listing> now = new ArrayList<>(current.map(Directory::services).orElse(List.of()));
            if (!now.removeIf(l -> l.id().equals(id))) {
                throw new NoSuchElementException(
                        "the local directory of " + site.id() + " has no service '" + id + "'");
            }
            return new Directory("Local", "console", clock.instant().toString(), now);
        });
    }

    /** A service as typed, checked: named, in at least one category, its places at the site. */
    private static Listing listing(Site site, String id, DirectoryService s, LocalDate today) {
        List<InputError> errors = new ArrayList<>();
        text(errors, "name", s.name(), 200, true);
        text(errors, "description", s.description(), 4000, false);
        text(errors, "eligibility", s.eligibility(), 2000, false);
        text(errors, "organization", s.organization().name(), 200, true);
        text(errors, "url", s.url(), 500, false);
        text(errors, "email", s.email(), 200, false);
        if (!s.url().isBlank() && !s.url().matches("(?i)https?://\\S+")) {
            errors.add(InputError.of("service", "url", "must start with http:// or https://"));
        }
        if (s.categories().isEmpty()) {
            errors.add(InputError.of("service", "categories", "choose at least one of the six kinds of service"));
        }
        if (!List.of("active", "inactive", "defunct", "temporarily closed").contains(s.status())) {
            errors.add(InputError.of("service", "status", "must be active, inactive, defunct or temporarily closed"));
        }
        List<Listing.Place> places = new ArrayList<>();
        for (int i = 0; i < s.locations().size(); i++) {
            DirectoryService.Location l = s.locations().get(i);
            String field = "locations[" + i + "]";
            text(errors, field + ".address", l.address(), 300, true);
            if (l.longitude().isPresent() != l.latitude().isPresent()) {
                errors.add(InputError.of("service", field, "give both longitude and latitude, or neither"));
            } else if (l.longitude().isPresent()) {
                double lon = l.longitude().get();
                double lat = l.latitude().get();
                if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
                    errors.add(InputError.of("service", field, "longitude/latitude are out of range"));
                } else if (site.bounds().isPresent() && !near(site.bounds().get(), lon, lat)) {
                    errors.add(InputError.of(
                            "service",
                            field,
                            "lies outside the site's area (" + site.bounds().get()
                                    + "): longitude and latitude swapped, or another place"));
                }
            }
            places.add(new Listing.Place(
                    id + "-place-" + i,
                    l.id().isBlank() ? id + "-location-" + i : l.id(),
                    l.name(),
                    new Listing.Address(l.address(), "", "", "", "", "", "", "physical"),
                    l.latitude().orElse(null),
                    l.longitude().orElse(null),
                    l.hours().stream()
                            .map(h -> new Listing.Hours("", "", "", h))
                            .toList()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<Listing.Person> contacts = s.contacts().stream()
                .map(c -> new Listing.Person(
                        c.name(),
                        c.title(),
                        c.email(),
                        c.phone() == null || c.phone().isBlank()
                                ? List.of()
                                : List.of(new Listing.Phone(c.phone(), ""))))
                .toList();
        List<Listing.Term> terms =
                s.categories().stream().sorted().map(ProgrammeTerms::term).toList();
        DirectoryService.Organization o = s.organization();
        return new Listing(
                id,
                s.name().strip(),
                s.description().strip(),
                s.url().strip(),
                s.email().strip(),
                s.status(),
                s.eligibility().strip(),
                today.toString(),
                new Listing.Provider(
                        o.id().isBlank() ? id + "-organization" : o.id(),
                        o.name().strip(),
                        o.description(),
                        o.url(),
                        o.email()),
                places,
                s.hours().stream().map(h -> new Listing.Hours("", "", "", h)).toList(),
                contacts,
                List.of(),
                s.languages().stream().map(l -> new Listing.Language(l, "")).toList(),
                terms);
    }

    private static boolean near(Site.Bounds b, double lon, double lat) {
        double w = (b.east() - b.west()) * 0.1;
        double h = (b.north() - b.south()) * 0.1;
        return lon >= b.west() - w && lon <= b.east() + w && lat >= b.south() - h && lat <= b.north() + h;
    }

    private static void text(List<InputError> errors, String field, String value, int max, boolean required) {
        if (required && (value == null || value.isBlank())) {
            errors.add(InputError.of("service", field, "is required"));
        } else if (value != null && value.length() > max) {
            errors.add(InputError.of("service", field, "is longer than " + max + " characters"));
        }
    }
}
