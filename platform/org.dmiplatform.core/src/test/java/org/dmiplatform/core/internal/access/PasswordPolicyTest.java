package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import org.junit.Test;

public class PasswordPolicyTest {
    private static final PasswordPolicy POLICY = PasswordPolicy.standard();

    private static Optional<String> check(String user, String password) {
        return POLICY.check(user, password.toCharArray());
    }

    @Test
    public void acceptsALongUncommonPassphrase() {
        assertEquals(Optional.empty(), check("analyst", "violet kettle over 7 bridges"));
    }

    @Test
    public void refusesFewerThanTwelveCharacters() {
        assertEquals(Optional.of("must be at least 12 characters"), check("analyst", "Xk3!vq9#Lm2"));
    }

    @Test
    public void refusesPasswordsSeenInBreachesEvenDressedUp() {
        assertTrue(check("analyst", "qwertyuiop123").orElse("").contains("breaches"));
        assertTrue(check("analyst", "1234567890123").orElse("").contains("breaches"));
        assertTrue(check("analyst", "Baseball2024!!").orElse("").contains("breaches"));
        assertTrue(check("analyst", "!!Password2026").orElse("").contains("breaches"));
    }

    @Test
    public void refusesThePasswordContainingTheUserName() {
        assertEquals(Optional.of("must not contain the user name"), check("cpd-analyst", "my-CPD-Analyst-key"));
    }

    @Test
    public void refusesRepeatedCharacters() {
        assertFalse(check("analyst", "aaaaaaaaaaaabbbb").isEmpty());
    }
}
