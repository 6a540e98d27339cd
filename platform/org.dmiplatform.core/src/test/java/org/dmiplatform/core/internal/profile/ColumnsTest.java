package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.math.BigDecimal;
import org.junit.Test;

/** Values as the profile reads them: trimmed, with the padding inside fixed-width fields collapsed. */
public class ColumnsTest {
    @Test
    public void paddingInsideAValueIsOneSpace() {
        assertEquals("100 W MAIN ST", Columns.Bound.text("  100   W  MAIN ST   "));
        assertEquals("0100 W MADISON ST", Columns.Bound.text("0100 W\tMADISON ST"));
        assertEquals("01/02/2026 10:00", Columns.Bound.text("01/02/2026  10:00"));
        // a value with nothing to clean is returned as it came
        String clean = "041A";
        assertSame(clean, Columns.Bound.text(clean));
        assertEquals("", Columns.Bound.text("   "));
        assertEquals("12.5", Columns.Bound.text(new BigDecimal("12.500")));
    }
}
