package org.dmiplatform.core.internal.access;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * CJIS IA-5 / ASVS 2.1: at least 12 characters, at most 256, not the user name, not on the breached-password
 * list, not a listed word dressed up with digits and punctuation.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 256;

    private final Set<String> breached;

    public PasswordPolicy(Set<String> breached) {
        this.breached = Set.copyOf(breached);
    }

    /** The policy with the list shipped in this bundle. */
    public static PasswordPolicy standard() {
        try (InputStream raw = PasswordPolicy.class.getResourceAsStream("/access/breached-passwords.txt.gz")) {
            if (raw == null) {
                throw new IllegalStateException("breached-password list missing from the bundle");
            }
            Set<String> words = new HashSet<>();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        words.add(line.strip());
                    }
                }
            }
            return new PasswordPolicy(words);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the breached-password list", e);
        }
    }

    /** Empty when acceptable, otherwise the reason in words a user can act on. */
    public Optional<String> check(String username, char[] password) {
        if (password.length < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        String lower = new String(password).toLowerCase(Locale.ROOT);
        if (username != null && !username.isBlank() && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("must not contain the user name");
        }
        if (lower.chars().distinct().count() < 4) {
            return Optional.of("uses too few different characters");
        }
        if (isBreached(lower)) {
            return Optional.of("is on the list of passwords seen in breaches; choose another");
        }
        return Optional.empty();
    }

    /**
     * True when the password, or what is left of it after cutting up to {@value #TRIM_START} characters off its
     * start and {@value #TRIM_END} off its end, is a breached password: {@code Baseball2024!!} and
     * {@code 1234567890123} are as weak as the words they dress up.
     */
    private boolean isBreached(String lower) {
        for (int start = 0; start <= TRIM_START; start++) {
            for (int end = lower.length(); end >= lower.length() - TRIM_END; end--) {
                if (end - start < MIN_CORE) {
                    break;
                }
                if (breached.contains(lower.substring(start, end))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final int TRIM_START = 4;
    private static final int TRIM_END = 6;
    private static final int MIN_CORE = 6;
}
