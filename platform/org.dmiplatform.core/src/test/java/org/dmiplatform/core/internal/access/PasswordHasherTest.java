package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PasswordHasherTest {

    @Test
    public void matchesOnlyTheRightPassword() {
        PasswordHasher hasher = new PasswordHasher(1000);
        String stored = hasher.hash("violet kettle bridges".toCharArray());
        assertTrue(hasher.matches("violet kettle bridges".toCharArray(), stored));
        assertFalse(hasher.matches("violet kettle bridgez".toCharArray(), stored));
    }

    @Test
    public void samePasswordHashesDifferentlyEachTime() {
        PasswordHasher hasher = new PasswordHasher(1000);
        assertNotEquals(
                hasher.hash("violet kettle bridges".toCharArray()), hasher.hash("violet kettle bridges".toCharArray()));
    }

    @Test
    public void hashMadeWithFewerIterationsStillVerifiesAndIsOutdated() {
        String old = new PasswordHasher(1000).hash("violet kettle bridges".toCharArray());
        PasswordHasher current = new PasswordHasher(2000);
        assertTrue(current.matches("violet kettle bridges".toCharArray(), old));
        assertTrue(current.isOutdated(old));
        assertFalse(current.isOutdated(current.hash("x".toCharArray())));
    }

    @Test
    public void unknownSchemeNeverMatches() {
        assertFalse(new PasswordHasher(1000).matches("x".toCharArray(), "5f4dcc3b5aa765d61d8327deb882cf99"));
    }
}
