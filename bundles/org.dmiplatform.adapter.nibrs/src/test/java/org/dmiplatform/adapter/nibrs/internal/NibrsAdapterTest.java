package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.time.ZoneId;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Test;

public class NibrsAdapterTest {
    private static NibrsAdapter.Config config(String site, String oris) {
        return new NibrsAdapter.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NibrsAdapter.Config.class;
            }

            @Override
            public String dmi_site() {
                return site;
            }

            @Override
            public String oris() {
                return oris;
            }
        };
    }

    @Test
    public void describesTheFormatsItReads() {
        assertEquals("NIBRS (flat file, XML 2019.1/4.2, CDE extract)", new NibrsAdapter(config("yuma", "")).describe());
    }

    @Test
    public void namesTheAgenciesItKeeps() {
        NibrsAdapter adapter = new NibrsAdapter(config("yuma", "az0140500, AZ0140000"));

        assertEquals(
                "NIBRS (flat file, XML 2019.1/4.2, CDE extract), agencies AZ0140000, AZ0140500", adapter.describe());
    }

    @Test
    public void readsAsConfiguredBySiteProvisioning() throws IOException {
        CollectingSink sink = new CollectingSink(ZoneId.of("America/Phoenix"));

        new NibrsAdapter(config("yuma", "AZ0140500")).read(Inputs.zip("az.zip", Inputs.cdeTables()), sink);

        assertEquals(7, sink.accepted.size());
        assertEquals(32, sink.skipped.size());
    }
}
