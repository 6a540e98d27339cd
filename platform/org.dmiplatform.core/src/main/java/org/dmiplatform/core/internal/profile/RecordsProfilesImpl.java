package org.dmiplatform.core.internal.profile;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.records.CodeLists;
import org.dmiplatform.api.records.ProfileDraft;
import org.dmiplatform.api.records.ProfileTrial;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.RecordsProfiles;
import org.dmiplatform.core.internal.Folders;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The sites' profiles, read from {@code <dmi.data>/sites/<site>/profiles/}, where provisioning puts them. A profile
 * is read again when any file of its folder changed, so a code table edit applies to the next import.
 */
@Component(service = RecordsProfiles.class)
public class RecordsProfilesImpl implements RecordsProfiles {
    /** A profile or code table is hand-written and small; a lookup file (say, geocoded addresses) can be larger. */
    public static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

    public static final String FOLDER = "profiles";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Path sites;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    private record Loaded(long stamp, Profile profile) {}

    /** The sites by id: their zone, bounds and coordinate systems guide drafts and dry runs. */
    private final java.util.function.Function<String, Optional<Site>> siteById;

    @Activate
    public RecordsProfilesImpl(BundleContext context, @Reference Sites sites) {
        this(Folders.data(context).resolve("sites"), sites::find);
    }

    /** The profiles of the sites under a folder ({@code <site>/profiles/}): for tests and tools. */
    public static RecordsProfilesImpl in(Path sites) {
        return new RecordsProfilesImpl(sites, id -> Optional.empty());
    }

    /** The same, with the sites whose zone and place drafts and dry runs read. */
    public static RecordsProfilesImpl in(Path sites, java.util.function.Function<String, Optional<Site>> siteById) {
        return new RecordsProfilesImpl(sites, siteById);
    }

    /** Not public: Declarative Services calls the one public constructor. */
    private RecordsProfilesImpl(Path sites, java.util.function.Function<String, Optional<Site>> siteById) {
        this.sites = sites;
        this.siteById = siteById;
    }

    private Site site(String id) {
        return siteById.apply(id)
                .orElseThrow(() -> new InvalidInputException(InputError.of("site", "site", "no site '" + id + "'")));
    }

    @Override
    public ProfileDraft draft(String site, RecordsInput sample) throws IOException {
        Site where = site(site);
        try (java.io.InputStream in = sample.open()) {
            return ProfileAssistant.draft(sample.name(), in, where);
        }
    }

    @Override
    public ProfileTrial trial(String site, String profile, RecordsInput sample, int show) throws IOException {
        Site where = site(site);
        return ProfileTrials.run(profile(site, profile), sample, where, Math.max(0, Math.min(200, show)));
    }

    @Override
    public CodeTableDraft codeTable(CodeLists.CodeList list, String code, String text, String nibrs) {
        return org.dmiplatform.core.internal.profile.CodeTableDraft.draft(list, code, text, nibrs);
    }

    /** Where a site's profiles live. */
    public static Path folder(Path sites, String site) {
        return sites.resolve(site).resolve(FOLDER);
    }

    @Override
    public RecordsProfile profile(String site, String name) {
        String file = name.endsWith(".json") ? name : name + ".json";
        if (!NAME.matcher(site).matches() || !NAME.matcher(file).matches()) {
            throw new InvalidInputException(InputError.of(name, "profile", "is not a profile name"));
        }
        Path folder = folder(sites, site);
        Path path = folder.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new InvalidInputException(InputError.of(
                    file,
                    "profile",
                    "site " + site + " has no profile " + file + " (it has " + names(site)
                            + "); provision the site from a folder whose profiles/ holds it"));
        }
        long stamp = stamp(folder);
        Loaded loaded = cache.get(path);
        if (loaded != null && loaded.stamp == stamp) {
            return loaded.profile;
        }
        Profile profile = read(file, text(path), sibling -> {
            Path other = folder.resolve(sibling);
            return Files.isRegularFile(other) ? Optional.of(text(other)) : Optional.empty();
        });
        cache.put(path, new Loaded(stamp, profile));
        return profile;
    }

    /**
     * Reads and checks a profile.
     *
     * @throws InvalidInputException with every mistake, by line and field
     */
    public static Profile read(
            String file, String text, java.util.function.Function<String, Optional<String>> siblings) {
        return ProfileReader.read(file, text, siblings);
    }

    /**
     * Why a coordinate system cannot be read from (e.g. "is not a coordinate system in the EPSG table"), or empty when
     * profiles may name it: the same rule a profile's {@code crs} is held to.
     */
    public static Optional<String> crsProblem(String code) {
        try {
            Crs.of(code);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public List<String> names(String site) {
        List<String> out = new ArrayList<>();
        if (!NAME.matcher(site).matches()) {
            return out;
        }
        Path folder = folder(sites, site);
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
                files.forEach(f -> out.add(f.getFileName().toString()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
            }
        }
        out.sort(null);
        return out;
    }

    private static long stamp(Path folder) {
        long stamp = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                stamp = stamp * 31 + Files.getLastModifiedTime(f).toMillis() + Files.size(f) * 17;
            }
        } catch (IOException e) {
            return -1;
        }
        return stamp;
    }

    /** A profile folder file as UTF-8 text, refused when too big or not UTF-8. */
    public static String text(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidInputException(InputError.of(
                        file.getFileName().toString(), "", "is larger than " + MAX_FILE_BYTES / 1024 / 1024 + " MB"));
            }
            byte[] bytes = Files.readAllBytes(file);
            return text(file.getFileName().toString(), bytes);
        } catch (IOException e) {
            throw new InvalidInputException(
                    InputError.of(file.getFileName().toString(), "", "cannot be read: " + e.getMessage()));
        }
    }

    public static String text(String name, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(InputError.of(name, "", "is not UTF-8 text: save it as UTF-8"));
        }
    }
}
