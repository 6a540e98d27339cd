package org.dmiplatform.api.directory;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A site's directory of service providers. Sites plug one in (or several, combined): register it under this interface
 * with {@code dmi.site=<site>}, {@code dmi.plugin.kind=service-directory} ({@link #KIND}) and a
 * {@code dmi.plugin.name}. Reading is open to every role at the site (a directory is public information); changing it
 * is for the site administrator, the services and community roles and the TTA administrator.
 */
@ConsumerType
public interface ServiceDirectory {

    /** The value of {@code dmi.plugin.kind} for a service directory. */
    String KIND = "service-directory";

    /** True for a directory filled by importing packages ({@link #importPackage}). */
    default boolean imports() {
        return false;
    }

    /** True for a directory edited service by service ({@link #save}, {@link #remove}). */
    default boolean edits() {
        return false;
    }

    /** Where the services come from, for the console: "HSDS 3.0 package, 42 services, imported 2026-11-30". */
    String describe(Site site);

    /** The matching services: nearest first when the query has a point, else by name. */
    List<DirectoryService> search(Site site, DirectoryQuery query, Caller caller);

    /** One service by its id in this directory. */
    Optional<DirectoryService> find(Site site, String id, Caller caller);

    /** A site's directories in the order they answer: the one edited here first, its services standing first. */
    static List<ServiceDirectory> editedFirst(List<ServiceDirectory> directories) {
        List<ServiceDirectory> ordered = new java.util.ArrayList<>(directories);
        ordered.sort(java.util.Comparator.comparing((ServiceDirectory d) -> !d.edits()));
        return ordered;
    }

    /**
     * One service by its id in any of a site's directories, the directory edited here first (a service edited locally
     * stands before an imported one of the same id).
     */
    static Optional<DirectoryService> findIn(List<ServiceDirectory> directories, Site site, String id, Caller caller) {
        for (ServiceDirectory directory : editedFirst(directories)) {
            Optional<DirectoryService> service = directory.find(site, id, caller);
            if (service.isPresent()) {
                return service;
            }
        }
        return Optional.empty();
    }

    /**
     * Replaces the directory with a package (for a directory that is imported): what is valid is taken, every row
     * that is not is listed in the report with file, row, field and reason.
     *
     * @throws InvalidInputException when nothing in the file can be read as a directory
     */
    default ImportReport importPackage(Site site, DirectoryFile file, Caller caller) {
        throw new InvalidInputException(InputError.of(file.fileName(), "file", "this directory is not imported"));
    }

    /** The directory as an Open Referral HSDS 3.0 JSON array of services (the full service form). */
    void exportHsds(Site site, OutputStream out, Caller caller);

    /** Adds or changes a service (for a directory edited in the console); an empty id adds one. */
    default DirectoryService save(Site site, DirectoryService service, Caller caller) {
        throw new InvalidInputException(InputError.of("service", "id", "this directory is not edited here"));
    }

    /** Removes a service (for a directory edited in the console). */
    default void remove(Site site, String id, Caller caller) {
        throw new InvalidInputException(InputError.of("service", "id", "this directory is not edited here"));
    }
}
