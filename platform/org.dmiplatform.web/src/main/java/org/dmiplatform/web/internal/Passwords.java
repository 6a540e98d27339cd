package org.dmiplatform.web.internal;

import java.security.SecureRandom;

/** Passwords the platform makes for a new account, shown once to the one who created it. */
final class Passwords {
    /** Letters and digits that cannot be misread for one another (no l, 1, I, O, 0, o). */
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    /** 20 characters of 56: about 116 bits. */
    static String generate() {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
