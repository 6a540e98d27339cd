package org.dmiplatform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Actor;

/**
 * Add-ons as the tests set them: a catalogue, files, and the plan each change gets; every change and file asked for is
 * remembered. A change is made when its plan allows it.
 */
public final class FakeAddOns implements AddOns {
    public final List<AddOn> catalogue = new CopyOnWriteArrayList<>();
    public final List<AddOnFile> files = new CopyOnWriteArrayList<>();
    public final List<Change> changes = new CopyOnWriteArrayList<>();
    public final List<String> received = new CopyOnWriteArrayList<>();
    /** The replacements asked for, as "site: from -> to {settings}". */
    public final List<String> replaced = new CopyOnWriteArrayList<>();
    /** Refusals the next plans carry; none: allowed. */
    public final List<String> refusals = new CopyOnWriteArrayList<>();

    @Override
    public List<AddOn> catalogue() {
        return List.copyOf(catalogue);
    }

    @Override
    public List<AddOnFile> files() {
        return List.copyOf(files);
    }

    @Override
    public AddOnFile receive(String fileName, InputStream in, Optional<String> sha256, Actor actor) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
            throw new InvalidInputException(InputError.of(fileName, "", "is empty or not a zip file"));
        }
        received.add(fileName);
        AddOnFile file = new AddOnFile(
                fileName,
                "0".repeat(64),
                bytes.length,
                Instant.EPOCH,
                List.of("dmi-adapter-fake/1.0.0"),
                true,
                List.of());
        files.add(file);
        return file;
    }

    @Override
    public Plan plan(Change change) {
        return new Plan(
                change,
                refusals.isEmpty(),
                List.copyOf(refusals),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of("No deployment change."));
    }

    @Override
    public Outcome apply(Change change, Actor actor) {
        Plan plan = plan(change);
        if (!plan.allowed()) {
            List<InputError> errors = new ArrayList<>();
            refusals.forEach(r -> errors.add(
                    InputError.of("add-on " + change.feature(), change.action().id(), r)));
            throw new InvalidInputException(errors);
        }
        changes.add(change);
        return new Outcome(plan, change.action().id() + " " + change.feature(), Optional.empty(), 1);
    }

    @Override
    public Replacement replace(String site, String from, String to, Map<String, String> settings, Actor actor) {
        if (!refusals.isEmpty()) {
            throw new InvalidInputException(InputError.of("site " + site, "to", refusals.get(0)));
        }
        replaced.add(site + ": " + from + " -> " + to + " " + new java.util.TreeMap<>(settings));
        return new Replacement(
                site, from, to, "replaced", new Swap(from, to, List.of(site), 1, 1, 0, 0, 0, List.of()), 2);
    }
}
