package org.dmiplatform.adapter.nibrs.internal;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A site's NIBRS records: the FBI flat file, NIBRS XML (IEPD 2019.1 and 4.2) and the FBI Crime Data Explorer
 * extract, told apart by their content. Every Group A incident becomes one canonical incident record; deletes
 * withdraw records; zero reports and Group B arrest reports are counted as skipped.
 */
@Component(
        service = RecordsAdapter.class,
        configurationPid = "org.dmiplatform.adapter.nibrs",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"dmi.plugin.kind=records-adapter", "dmi.plugin.name=NIBRS"})
@Designate(ocd = NibrsAdapter.Config.class, factory = true)
public class NibrsAdapter implements RecordsAdapter {

    @ObjectClassDefinition(
            name = "DMI NIBRS records adapter",
            description = "Reads a site's NIBRS incidents: FBI flat file, NIBRS XML (IEPD 2019.1 or 4.2), or an FBI"
                    + " Crime Data Explorer extract (.zip).")
    public @interface Config {
        @AttributeDefinition(name = "Site", description = "The site this adapter serves (written by provisioning).")
        String dmi_site();

        @AttributeDefinition(
                name = "Agencies (ORIs)",
                description = "ORIs to keep, separated by commas, e.g. AZ0140500, AZ0140000; empty keeps every agency"
                        + " in the file.",
                required = false)
        String oris() default "";
    }

    private static final CodeTables TABLES = CodeTables.load();

    private final Agencies agencies;
    private final Path tempRoot;
    private final int runSize;

    @Activate
    public NibrsAdapter(Config config) {
        this(Agencies.parse(config.oris()), null, CdeExtractReader.RUN_SIZE);
    }

    /** For tests: where the extract's spill folder goes (null: the system's), and how many rows a sort run holds. */
    NibrsAdapter(Agencies agencies, Path tempRoot, int runSize) {
        this.agencies = agencies;
        this.tempRoot = tempRoot;
        this.runSize = runSize;
    }

    @Override
    public String describe() {
        String what = "NIBRS (flat file, XML 2019.1/4.2, CDE extract)";
        return agencies.oris().isEmpty()
                ? what
                : what + ", agencies "
                        + String.join(", ", agencies.oris().stream().sorted().toList());
    }

    @Override
    public void read(RecordsInput input, RecordSink sink) throws IOException {
        try (InputStream raw = input.open();
                BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024)) {
            in.mark(SubmissionFormat.HEAD);
            byte[] head = in.readNBytes(SubmissionFormat.HEAD);
            in.reset();
            switch (SubmissionFormat.detect(head, head.length, input.name())) {
                case FLAT_FILE -> new FlatFileReader(TABLES, agencies, sink)
                        .read(new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)));
                case XML -> new XmlSubmissionReader(TABLES, agencies, sink, input.name()).read(in);
                case CDE_EXTRACT -> new CdeExtractReader(TABLES, agencies, sink, input.name(), tempRoot, runSize)
                        .read(in);
            }
        }
    }
}
