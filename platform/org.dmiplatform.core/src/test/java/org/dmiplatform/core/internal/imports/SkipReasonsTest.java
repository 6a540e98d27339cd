package org.dmiplatform.core.internal.imports;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.dmiplatform.api.store.Imports;
import org.junit.Test;

/** Skip reasons are listed by kind, most rows first, and kept with the import as text that reads back the same. */
public class SkipReasonsTest {

    @Test
    public void reasonsThatDifferOnlyInTheRowsValuesAreOneKind() {
        SkipReasons skips = new SkipReasons();
        skips.add(4, "incident '18-0041' is a Group B arrest");
        skips.add(9, "traffic accident");
        skips.add(7, "incident '18-0077' is a Group B arrest");
        skips.add(12, "incident '18-0102' is a Group B arrest");
        List<Imports.Skipped> list = skips.list();
        assertEquals(
                List.of(
                        new Imports.Skipped("incident '18-0041' is a Group B arrest", 3, 4),
                        new Imports.Skipped("traffic accident", 1, 9)),
                list);
        assertEquals(list, SkipReasons.parse(skips.text()));
    }

    @Test
    public void pastFiftyKindsTheRestAreCountedTogether() {
        SkipReasons skips = new SkipReasons();
        for (int i = 0; i < 60; i++) {
            skips.add(i + 1, "rule " + (char) ('A' + i % 26) + (char) ('a' + i / 26));
        }
        List<Imports.Skipped> list = skips.list();
        assertEquals(SkipReasons.MAX + 1, list.size());
        assertEquals(60, list.stream().mapToLong(Imports.Skipped::rows).sum());
        assertEquals(new Imports.Skipped("other reasons", 10, 51), list.get(0));
    }
}
