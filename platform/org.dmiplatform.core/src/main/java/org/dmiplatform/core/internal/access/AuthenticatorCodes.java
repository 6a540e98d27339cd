package org.dmiplatform.core.internal.access;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.dmiplatform.api.access.SecondFactorEnrolment;

/**
 * Time-based codes (RFC 6238) as every authenticator app reads them: SHA-1, six digits, 30-second steps. The secrets,
 * the codes and the QR code come from java-totp (with ZXing); this class only says which steps a code may come from.
 */
final class AuthenticatorCodes {
    static final Duration STEP = Duration.ofSeconds(30);
    static final int DIGITS = 6;
    /** Steps either side of the current one a code is taken from: a phone's clock may be up to 30 s off. */
    static final int SKEW = 1;

    private static final String ISSUER = "DMI Platform";
    /** 32 Base32 characters: a 160-bit secret, as RFC 4226 recommends. */
    private static final int SECRET_CHARACTERS = 32;

    private static final Pattern CODE = Pattern.compile("\\d{" + DIGITS + "}");

    private final DefaultSecretGenerator secrets = new DefaultSecretGenerator(SECRET_CHARACTERS);
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

    String newSecret() {
        return secrets.generate();
    }

    /** The 30-second time-step an instant falls in. */
    static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
    }

    /**
     * The steps within {@link #SKEW} of {@code now} whose code {@code code} is, oldest first; empty when none. Every
     * step is compared, in constant time, whichever matches.
     */
    List<Long> steps(String secret, String code, Instant now) {
        String given = code == null ? "" : code.replace(" ", "").strip();
        if (!CODE.matcher(given).matches()) {
            return List.of();
        }
        byte[] bytes = given.getBytes(StandardCharsets.US_ASCII);
        List<Long> matching = new ArrayList<>();
        long current = step(now);
        for (long step = current - SKEW; step <= current + SKEW; step++) {
            if (MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII), bytes)) {
                matching.add(step);
            }
        }
        return matching;
    }

    /** The code for one step. */
    String code(String secret, long step) {
        try {
            return codes.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException("cannot compute a code from the stored secret", e);
        }
    }

    /** The secret, its {@code otpauth://} URI and that URI as a QR code, for the app of the account's holder. */
    SecondFactorEnrolment enrolment(String secret, String username) {
        QrData data = new QrData.Builder()
                .label(username)
                .secret(secret)
                .issuer(ISSUER)
                .algorithm(HashingAlgorithm.SHA1)
                .digits(DIGITS)
                .period((int) STEP.getSeconds())
                .build();
        ZxingPngQrGenerator png = new ZxingPngQrGenerator();
        png.setImageSize(240);
        try {
            return new SecondFactorEnrolment(
                    secret, data.getUri(), Utils.getDataUriForImage(png.generate(data), png.getImageMimeType()));
        } catch (QrGenerationException e) {
            throw new IllegalStateException("cannot draw the enrolment QR code", e);
        }
    }
}
