package org.dmiplatform.itests;

import static org.junit.Assert.assertEquals;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import org.junit.Test;

/** The tests' authenticator app gives the codes RFC 6238 and the platform's TOTP library give. */
public class HttpTest {
    @Test
    public void authenticatorCodesAreRfc6238s() throws Exception {
        // RFC 6238, appendix B: the SHA-1 key "12345678901234567890" at 59 s (step 1) gives 94287082 (last six digits)
        String rfcKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assertEquals("287082", Http.authenticatorCode(rfcKey, 1));
        assertEquals("081804", Http.authenticatorCode(rfcKey, 1111111109L / 30));
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        for (long step = 58_000_000; step < 58_000_050; step++) {
            assertEquals(
                    new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6).generate(secret, step),
                    Http.authenticatorCode(secret, step));
        }
    }
}
