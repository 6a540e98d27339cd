package org.dmiplatform.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reports and analyses made as jobs: a person asks for one (an outcome report's PDF, a hot-spot analysis with
 * thousands of permutations) in one request and fetches it when it is made. The platform's scheduler makes it on
 * whichever node is free; a node that goes away while making one has another node make it again, and the result is
 * kept once. A run is a read the caller could have made at once ({@code GET} of the API path it names), made later as
 * the caller: the same checks, the same audit entry, the same answer.
 */
@ProviderType
public interface Runs {

    /** How far a run has got. */
    enum Status {
        QUEUED,
        RUNNING,
        DONE,
        FAILED
    }

    /**
     * A run as stored.
     *
     * @param request the API path and query it reads, as asked ({@code /sites/chicago/hotspots?method=gi-star})
     * @param node the node that made it (or is making it)
     * @param attempts how many times a node started making it (more than one when a node went away)
     * @param kept whether its result is still kept (results are deleted {@link #KEPT_DAYS} days after they are made)
     * @param problem why it failed, in words, for {@link Status#FAILED}
     */
    record Run(
            long id,
            String site,
            String request,
            Status status,
            String requestedBy,
            Instant requestedAt,
            Optional<Instant> startedAt,
            Optional<Instant> finishedAt,
            Optional<String> node,
            int attempts,
            Optional<String> mediaType,
            Optional<String> fileName,
            long size,
            boolean kept,
            Optional<String> problem) {}

    /** What a made run answers: the body of the read, its media type and the file name it is saved as. */
    record Result(String mediaType, String fileName, byte[] content) {
        public Result {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(fileName, "fileName");
            Objects.requireNonNull(content, "content");
        }
    }

    /** Days a result is kept after it is made; the run itself stays listed. */
    int KEPT_DAYS = 30;

    /**
     * Makes runs on this node: the platform's API, which answers a run's read as it would answer the request.
     * Registered once a node serves the API; runs wait while no maker is registered.
     */
    @FunctionalInterface
    interface Maker {
        /**
         * @return the result, or throws {@link Refused} with the reason the read was refused (it is the run's problem)
         */
        Result make(String site, String request, Caller caller);
    }

    /** The read a run names was refused (a bad parameter, a role lost): the run failed for this reason. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String reason) {
            super(reason);
        }
    }

    /** A registration of a {@link Maker}: closed, the node makes no more runs. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Registers the node's maker (the API does, while it serves); runs wait while none is registered. */
    Registration maker(Maker maker);

    /**
     * Stores a run of {@code request} for the caller and hands it to the scheduler. The API checks, before, that the
     * caller may make the read.
     */
    Run submit(String site, String request, Caller caller);

    /** The caller's own runs at the site, newest first. */
    List<Run> runs(String site, int limit, Caller caller);

    /**
     * One of the caller's runs.
     *
     * @throws java.util.NoSuchElementException for a run that is not the caller's at the site
     */
    Run run(String site, long id, Caller caller);

    /**
     * The result of one of the caller's runs: empty while it is not made, when it failed, or once it is no longer kept.
     *
     * @throws java.util.NoSuchElementException for a run that is not the caller's at the site
     */
    Optional<Result> result(String site, long id, Caller caller);
}
