import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Prints the demo user's current one-time code, so the Quick start needs nothing but the JDK:
 *
 *   java demo/Totp.java
 *
 * The demo's OTP secret is the text "demo-otp-secret-2026" (base32: MRSW23ZNN52HALLTMVRXEZLUFUZDAMRW, what an
 * authenticator app takes). Keycloak accepts each code once, so when this 30-second step's code was printed
 * before, this waits for the next step rather than print a code that would be refused.
 */
public class Totp {

    private static final String DEMO_SECRET = "demo-otp-secret-2026";

    public static void main(String[] args) throws Exception {
        String secret = args.length > 0 ? args[0] : DEMO_SECRET;
        String tmp = System.getenv("TMPDIR"); // like other Unix tools; Java's own java.io.tmpdir ignores it
        Path last = Path.of(tmp == null || tmp.isBlank() ? System.getProperty("java.io.tmpdir") : tmp, "app-passwords-demo-totp-step");
        long step = System.currentTimeMillis() / 30_000;
        if (Files.exists(last) && Files.readString(last).strip().equals(Long.toString(step))) {
            long wait = (step + 1) * 30_000 - System.currentTimeMillis();
            System.err.printf("This step's code was used already; waiting %d s for the next one...%n", wait / 1000 + 1);
            Thread.sleep(wait + 200);
            step++;
        }
        Files.writeString(last, Long.toString(step));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        int offset = hash[hash.length - 1] & 0xf;
        int binary = ByteBuffer.wrap(hash, offset, 4).getInt() & 0x7fffffff;
        System.out.printf("%06d%n", binary % 1_000_000);
    }
}
