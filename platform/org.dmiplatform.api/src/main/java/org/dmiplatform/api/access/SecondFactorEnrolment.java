package org.dmiplatform.api.access;

/**
 * What an authenticator app needs to be set up: shown once, to the account's holder only, never logged or audited.
 *
 * @param secret the shared secret in Base32, for typing in by hand
 * @param uri the {@code otpauth://totp/...} URI the QR code holds
 * @param qrCode the QR code as a PNG {@code data:} URI, for an {@code <img>}
 */
public record SecondFactorEnrolment(String secret, String uri, String qrCode) {
    @Override
    public String toString() {
        return "SecondFactorEnrolment[secret hidden]";
    }
}
